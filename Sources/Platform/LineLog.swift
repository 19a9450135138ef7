// LineLog: Isoring's swift-log handler: one line per message, "[process] [tenant] message",
// handed to a sink (standard error in the CLI, an array in tests).
import Logging

/// Renders each message as one line: the `process` and `tenant` metadata values in brackets,
/// then the message; other metadata is appended as `key=value`. The sink gets the line without
/// a newline. Levels below `logLevel` cost a level comparison: the message is never built.
public struct LineLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    let sink: @Sendable (String) -> Void

    public init(level: Logger.Level = .info, sink: @escaping @Sendable (String) -> Void) {
        self.logLevel = level
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?,
                    source: String, file: String, function: String, line: UInt) {
        var text = ""
        for key in ["process", "tenant"] {
            if let value = extra?[key] ?? metadata[key] { text += "[\(value)] " }
        }
        text += message.description
        if let extra {
            for (key, value) in extra.sorted(by: { $0.key < $1.key }) where key != "process" && key != "tenant" {
                text += " \(key)=\(value)"
            }
        }
        sink(text)
    }
}

extension Logger {
    /// A logger whose lines go to `sink` (see LineLogHandler).
    public static func lines(label: String = "isoring", level: Logger.Level = .info,
                             _ sink: @escaping @Sendable (String) -> Void) -> Logger {
        Logger(label: label) { _ in LineLogHandler(level: level, sink: sink) }
    }

    /// This logger with `tenant` set, so every line names the tenant.
    public func tenant(_ name: String) -> Logger {
        var copy = self
        copy[metadataKey: "tenant"] = "\(name)"
        return copy
    }
}
