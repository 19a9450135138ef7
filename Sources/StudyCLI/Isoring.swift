// The `isoring` command: subcommands serve, probe (and, as issues land, worker, load, report).
import ArgumentParser

@main
struct Isoring: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "isoring",
        abstract: "Serve tenants' JavaScript over io_uring, epoll or blocking I/O, and measure what each costs.",
        subcommands: [Serve.self, Origin.self, Probe.self, Load.self, Report.self, GenTenants.self, NodeColdStartCommand.self, ScaleProbeCommand.self, Worker.self],
        defaultSubcommand: nil)
}
