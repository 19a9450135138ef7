// JSCError: a JavaScript exception (or a watchdog termination) turned into a Swift error.

/// What a script threw: `message` is the error's message (or the thrown value as a string),
/// `stack` its JavaScript stack when the value was an Error. `terminated` is true when JSC's
/// execution-time watchdog stopped the script, which JavaScript code cannot catch.
public struct JSCError: Error, Sendable, CustomStringConvertible {
    public var name: String
    public var message: String
    public var stack: String
    public var terminated: Bool

    public init(name: String = "Error", message: String, stack: String = "", terminated: Bool = false) {
        self.name = name
        self.message = message
        self.stack = stack
        self.terminated = terminated
    }

    /// "Name: message" followed by the stack, for logs.
    public var description: String {
        let head = name.isEmpty ? message : "\(name): \(message)"
        return stack.isEmpty ? head : "\(head)\n\(stack)"
    }
}
