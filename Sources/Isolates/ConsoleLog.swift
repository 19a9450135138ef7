// ConsoleLog: a tenant's console output as log lines, at the level its console method names.
import Logging

extension Logger {
    /// `level` is the prelude's console level (debug 0, log 1, info 2, warn 3, error 4; trace
    /// is 0): console.debug/trace -> debug, log/info -> info, warn -> warning, error -> error.
    /// Warnings and errors keep the console's own tag in the line, as before levels existed.
    func console(level: Int, _ text: String) {
        switch Self.consoleLevel(level) {
        case .error: error("error: \(text)")
        case .warning: warning("warn: \(text)")
        case .info: info("\(text)")
        default: debug("\(text)")
        }
    }

    /// The log level of a console level.
    static func consoleLevel(_ level: Int) -> Logger.Level {
        switch level {
        case 4...: return .error
        case 3: return .warning
        case 1, 2: return .info
        default: return .debug
        }
    }
}
