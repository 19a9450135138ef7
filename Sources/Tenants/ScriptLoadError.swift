// ScriptLoadError: why a tenant's script cannot be loaded (read, parsed or evaluated).

/// Why a tenant's script cannot be loaded.
public struct ScriptLoadError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
