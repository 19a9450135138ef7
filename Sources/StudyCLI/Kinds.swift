// Command-line enums: the I/O engine, the isolation model and on/off switches.
import ArgumentParser
import IOCore
import Tenants

/// `--io`: which engine drives network I/O (IOCore's EngineKind).
extension EngineKind: ExpressibleByArgument {}

/// `--isolation`: where tenants' JavaScript runs.
enum IsolationKind: String, ExpressibleByArgument, CaseIterable {
    case isolate, process, cgi
}

/// `--cpu-limit-clock`: which clock JavaScriptCore's CPU-time watchdog reads.
enum CPULimitClock: String, ExpressibleByArgument, CaseIterable {
    case thread, wall
}

/// An explicit on/off value for knobs whose default is on (`--multishot off`).
enum Switch: String, ExpressibleByArgument, CaseIterable {
    case on, off
    var isOn: Bool { self == .on }
}

extension TenantRouting: ExpressibleByArgument {}
