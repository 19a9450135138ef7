// JSCNativeFunction: Swift closures callable from JavaScript, via a JSClass with private data.
import CJavaScriptCore

/// The arguments of one native call. Reading past the end yields `undefined`, as in JavaScript.
public struct JSCArguments {
    public let context: JSCContext
    public let this: JSCValue?
    let count: Int
    let values: UnsafePointer<JSValueRef?>?

    public var length: Int { count }

    public subscript(i: Int) -> JSCValue {
        if i < count, let v = values?[i] { return JSCValue(v) }
        return context.undefined
    }
}

/// A native function body: returns the JavaScript result, or throws (the message becomes a
/// JavaScript Error in the caller).
public typealias JSCNativeBody = (JSCArguments) throws -> JSCValue

/// Holds the Swift closure behind one native function object; the JS object owns it (released
/// in the class's finalizer).
final class NativeBox {
    let body: JSCNativeBody
    unowned let context: JSCContext
    init(body: @escaping JSCNativeBody, context: JSCContext) {
        self.body = body
        self.context = context
    }
}

/// JSObjectMakeFunctionWithCallback has no context pointer, so native functions are objects of
/// one shared JSClass whose callAsFunction finds its closure in the object's private data.
nonisolated(unsafe) let nativeFunctionClass: JSClassRef = {
    var def = kJSClassDefinitionEmpty
    let name: StaticString = "NativeFunction"
    def.className = UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)
    def.attributes = JSClassAttributes(kJSClassAttributeNoAutomaticPrototype)
    def.finalize = { object in
        guard let data = JSObjectGetPrivate(object) else { return }
        Unmanaged<NativeBox>.fromOpaque(data).release()
    }
    // JavaScriptCore drops the VM's API lock around a callback (JSLock::DropAllLocks), so each
    // C API call the body makes would take it afresh; one JSLockHolder around the body makes
    // those calls lock recursively (native.respond makes about ten).
    def.callAsFunction = { _, function, this, count, args, exception in
        guard let data = JSObjectGetPrivate(function) else { return nil }
        let box = Unmanaged<NativeBox>.fromOpaque(data).takeUnretainedValue()
        let ctx = box.context
        return withUnsafeTemporaryAllocation(byteCount: Int(ISORING_JSLOCKHOLDER_BYTES), alignment: 16) { holder in
            isoring_JSLockHolder_init(holder.baseAddress!, ctx.ref)
            defer { isoring_JSLockHolder_deinit(holder.baseAddress!) }
            do {
                let result = try box.body(JSCArguments(context: ctx, this: this.map(JSCValue.init), count: count, values: args))
                return result.ref
            } catch let error as JSCThrow {
                exception?.pointee = error.value.ref
            } catch {
                exception?.pointee = ctx.makeError("\(error)").ref
            }
            return nil
        }
    }
    return JSClassCreate(&def)
}()

/// Throw this from a native body to throw a specific JavaScript value (e.g. a TypeError).
public struct JSCThrow: Error {
    public let value: JSCValue
    public init(_ value: JSCValue) { self.value = value }
}

extension JSCContext {
    /// A JavaScript function that runs `body`. The closure must not capture this context
    /// strongly (the context owns the function, which owns the closure).
    public func makeFunction(_ body: @escaping JSCNativeBody) -> JSCValue {
        let box = Unmanaged.passRetained(NativeBox(body: body, context: self)).toOpaque()
        return JSCValue(JSObjectMake(ref, nativeFunctionClass, box))
    }
}
