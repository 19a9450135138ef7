// Command-line enums: the I/O engine, the isolation model and on/off switches.
import ArgumentParser
import CLinux
import IOCore
import Tenants

/// `--io`: which engine drives network I/O (IOCore's EngineKind).
extension EngineKind: ExpressibleByArgument {}

/// `--isolation`: where tenants' JavaScript runs.
enum IsolationKind: String, ExpressibleByArgument, CaseIterable {
    case isolate, process, cgi
}

/// `--cpu-limit-clock`: which clock JavaScriptCore's CPU-time watchdog reads (see
/// Sources/CLinux/thread_clock.c and Kernel-notes/javascriptcore.md).
enum CPULimitClock: String, ExpressibleByArgument, CaseIterable {
    /// The thread's CPU time, read lazily: a vDSO upper bound, a real read at most every 2 ms.
    case lazy
    /// The thread's CPU time, one clock_gettime syscall per entry into JavaScript.
    case thread
    /// Time spent in JavaScript (vDSO): CPU time only for a loop alone on its core.
    case wall

    var threadClockMode: Int32 {
        switch self {
        case .lazy: Int32(ISORING_THREAD_CLOCK_LAZY)
        case .thread: Int32(ISORING_THREAD_CLOCK_EXACT)
        case .wall: Int32(ISORING_THREAD_CLOCK_WALL)
        }
    }

    /// Applies the clock to the calling thread (a thread that will run JavaScript); false when
    /// the executable does not export clock_gettime, so the reads cannot be redirected.
    @discardableResult
    func applyToCurrentThread() -> Bool {
        self == .thread || isoring_thread_clock_set_mode(threadClockMode) == 1
    }
}

/// An explicit on/off value for knobs whose default is on (`--multishot off`).
enum Switch: String, ExpressibleByArgument, CaseIterable {
    case on, off
    var isOn: Bool { self == .on }
}

extension TenantRouting: ExpressibleByArgument {}
