// FaultTests: what fails to come up costs one request a 503 or a clear start-up message, never the process.
import Foundation
import Testing

@Suite("issue 15: faults")
struct FaultTests {
    /// The debug build's seam (ISORING_FAULT_PRELUDE) makes the first prelude install fail, as
    /// JavaScriptCore running out of memory or a watchdog stop during install under load would
    /// (the latter once crashed the server with SIGILL from a precondition). That request gets
    /// a 503 and a log line; the next one creates the isolate and is served.
    @Test(arguments: [["--io", "epoll"], ["--io", "blocking"], ["--io", "epoll", "--isolate-group", "per-loop"],
                      ["--io", "epoll", "--isolation", "process"]] + (IO.uring.skipReason == nil ? [["--io", "uring"]] : []))
    func preludeFailureCostsOneRequestA503(_ flags: [String]) throws {
        let server = try ServerProcess(flags + ["--tenants", tenantsFolder], environment: ["ISORING_FAULT_PRELUDE": "1"])
        defer { server.stop() }
        let first = try request(server.port, "GET", "/hello/")
        #expect(first.status == 503)
        #expect(server.waitForLog("could not create the isolate"), "\(server.log)")
        #expect(server.waitForLog("the Workers prelude failed to install"), "\(server.log)")
        #expect(try request(server.port, "GET", "/hello/").text == "hello from the module form\n")
        #expect(server.process.isRunning)
    }

    /// A prewarm pool whose first context fails logs it and still serves.
    @Test func prewarmFailureIsLoggedAndServingGoesOn() throws {
        let server = try ServerProcess(["--io", "epoll", "--tenants", tenantsFolder, "--prewarm", "2"],
                                       environment: ["ISORING_FAULT_PRELUDE": "1"])
        defer { server.stop() }
        #expect(server.waitForLog("prewarm: could not create a context"), "\(server.log)")
        for _ in 0..<3 { #expect(try request(server.port, "GET", "/hello/").status == 200) }
    }

    /// io_uring refused by a seccomp filter (installed by a small python3 launcher through
    /// prctl, as a container runtime would): serve names seccomp and `--io epoll`.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func uringRefusedBySeccompNamesTheWayOn() throws {
        let (status, output) = try runWithIOUringDenied([ServerProcess.binary.path, "serve", "--port", "0", "--io", "uring"])
        #expect(status != 0)
        #expect(output.contains("seccomp"), "\(output)")
        #expect(output.contains("--io epoll"), "\(output)")
    }

    /// A memlock limit too low for the ring and buffers, without CAP_IPC_LOCK (which root
    /// has, and which lifts the limit): the message names RLIMIT_MEMLOCK and the way on.
    @Test(.enabled(if: IO.uring.skipReason == nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit")
                   && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")),
          arguments: [["--ring-entries", "8"], []])
    func memlockTooLowIsNamed(_ extra: [String]) throws {
        let (status, output) = try runProgram("/usr/bin/prlimit", ["--memlock=16384:16384", "setpriv", "--inh-caps=-ipc_lock",
            "--bounding-set=-ipc_lock", ServerProcess.binary.path, "serve", "--port", "0", "--io", "uring"] + extra)
        #expect(status != 0)
        #expect(output.contains("RLIMIT_MEMLOCK"), "\(output)")
        #expect(output.contains("prlimit --memlock") && output.contains("--io epoll"), "\(output)")
    }
}

/// Runs `argv` under a seccomp filter that fails io_uring_setup (x86-64 syscall 425) with EPERM.
func runWithIOUringDenied(_ argv: [String]) throws -> (status: Int32, output: String) {
    let launcher = """
    import ctypes, os, struct, sys
    libc = ctypes.CDLL(None, use_errno=True)
    def stmt(code, k, jt=0, jf=0): return struct.pack("HBBI", code, jt, jf, k)
    prog = b"".join([stmt(0x20, 0),              # ld [nr]
                     stmt(0x15, 425, 0, 1),       # jeq io_uring_setup
                     stmt(0x06, 0x00050000 | 1),  # ret ERRNO(EPERM)
                     stmt(0x06, 0x7fff0000)])     # ret ALLOW
    buf = ctypes.create_string_buffer(prog)
    class Fprog(ctypes.Structure): _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]
    fp = Fprog(len(prog) // 8, ctypes.addressof(buf))
    assert libc.prctl(38, 1, 0, 0, 0) == 0          # PR_SET_NO_NEW_PRIVS
    assert libc.prctl(22, 2, ctypes.byref(fp), 0, 0) == 0  # PR_SET_SECCOMP, SECCOMP_MODE_FILTER
    os.execv(sys.argv[1], sys.argv[1:])
    """
    return try runProgram("/usr/bin/python3", ["-c", launcher] + argv)
}
