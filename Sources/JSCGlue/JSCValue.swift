// JSCValue: a JavaScript value handle, valid while its context lives and the value is reachable.
import CJavaScriptCore

/// A JSValueRef (or JSObjectRef; both are the same opaque pointer in the C API). Values on the
/// Swift stack during a call are kept alive by JSC's conservative stack scan; a value kept
/// across calls must be protected with `JSCContext.protect`.
public struct JSCValue: @unchecked Sendable, Equatable {
    @usableFromInline let ref: OpaquePointer

    @inlinable init(_ ref: OpaquePointer) { self.ref = ref }
}

/// A JSStringRef created once and reused: JSStringRef creation copies and hashes, so names used
/// on every request (property names such as "fetch") are made at startup.
public final class JSCString: @unchecked Sendable {
    let ref: JSStringRef

    public init(_ string: String) {
        JSCEngine.configure()
        ref = string.withCString { JSStringCreateWithUTF8CString($0) }
    }

    deinit { JSStringRelease(ref) }
}
