// JSCContext: a JSGlobalContextRef with the value, property, call and evaluate helpers.
import CJavaScriptCore

/// One global object (one realm) inside a context group. Not thread-safe: one thread uses it.
public final class JSCContext {
    let ref: JSGlobalContextRef
    public let group: JSCContextGroup
    /// Reused UTF-8 scratch space for string-to-bytes conversions (`withUTF8`), so converting a
    /// response body allocates nothing once the buffer has grown to the working size.
    var scratch: UnsafeMutablePointer<UInt8>
    var scratchCapacity: Int
    let messageName = JSCString("message")
    let stackName = JSCString("stack")
    let nameName = JSCString("name")
    let lengthName = JSCString("length")
    /// Room for the JSC::JSLockHolder of `withAPILock`, and whether it is held.
    let lockHolder: UnsafeMutableRawPointer
    var lockHeld = false

    public init(group: JSCContextGroup) {
        self.group = group
        ref = JSGlobalContextCreateInGroup(group.ref, nil)
        scratchCapacity = 4096
        scratch = .allocate(capacity: scratchCapacity)
        lockHolder = .allocate(byteCount: Int(ISORING_JSLOCKHOLDER_BYTES), alignment: 16)
    }

    deinit {
        JSGlobalContextRelease(ref)
        scratch.deallocate()
        lockHolder.deallocate()
    }

    // MARK: values

    public var globalObject: JSCValue { JSCValue(JSContextGetGlobalObject(ref)) }
    public var undefined: JSCValue { JSCValue(JSValueMakeUndefined(ref)) }
    public var null: JSCValue { JSCValue(JSValueMakeNull(ref)) }

    public func number(_ value: Double) -> JSCValue { JSCValue(JSValueMakeNumber(ref, value)) }
    public func number(_ value: Int) -> JSCValue { JSCValue(JSValueMakeNumber(ref, Double(value))) }
    public func boolean(_ value: Bool) -> JSCValue { JSCValue(JSValueMakeBoolean(ref, value)) }

    /// A JavaScript string from Swift's UTF-8, passed to JSC as UTF-16 code units.
    public func string(_ value: String) -> JSCValue {
        let s = makeJSString(value)
        defer { JSStringRelease(s) }
        return JSCValue(JSValueMakeString(ref, s))
    }

    /// A JavaScript string decoded from UTF-8 bytes (invalid sequences become U+FFFD).
    public func string(utf8 bytes: UnsafeRawBufferPointer) -> JSCValue {
        let s = UTF16Scratch.withUTF16(of: bytes) { JSStringCreateWithCharacters($0.baseAddress, $0.count) }
        defer { JSStringRelease(s) }
        return JSCValue(JSValueMakeString(ref, s))
    }

    public func string(_ name: JSCString) -> JSCValue { JSCValue(JSValueMakeString(ref, name.ref)) }

    func makeJSString(_ value: String) -> JSStringRef {
        var v = value
        return v.withUTF8 { UTF16Scratch.withUTF16(of: UnsafeRawBufferPointer($0)) {
            JSStringCreateWithCharacters($0.baseAddress, $0.count)
        } }
    }

    public func isUndefined(_ v: JSCValue) -> Bool { JSValueIsUndefined(ref, v.ref) }
    public func isNull(_ v: JSCValue) -> Bool { JSValueIsNull(ref, v.ref) }
    public func isString(_ v: JSCValue) -> Bool { JSValueIsString(ref, v.ref) }
    public func isNumber(_ v: JSCValue) -> Bool { JSValueIsNumber(ref, v.ref) }
    public func isBoolean(_ v: JSCValue) -> Bool { JSValueIsBoolean(ref, v.ref) }
    public func isObject(_ v: JSCValue) -> Bool { JSValueIsObject(ref, v.ref) }
    public func isFunction(_ v: JSCValue) -> Bool {
        JSValueIsObject(ref, v.ref) && JSObjectIsFunction(ref, v.ref)
    }

    public func toDouble(_ v: JSCValue) -> Double { JSValueToNumber(ref, v.ref, nil) }
    public func toInt(_ v: JSCValue) -> Int {
        let d = JSValueToNumber(ref, v.ref, nil)
        return d.isFinite ? Int(d) : 0
    }
    public func toBool(_ v: JSCValue) -> Bool { JSValueToBoolean(ref, v.ref) }

    /// True when `v` is not a string or is the empty string (a Response without statusText,
    /// for which the writer sends the standard phrase): decided without making a Swift String.
    public func isStringEmpty(_ v: JSCValue) -> Bool {
        guard JSValueIsString(ref, v.ref), let s = JSValueToStringCopy(ref, v.ref, nil) else { return true }
        defer { JSStringRelease(s) }
        return JSStringGetLength(s) == 0
    }

    /// `String(v)` in JavaScript terms, as a Swift string. Returns "" if conversion throws.
    public func toString(_ v: JSCValue) -> String {
        guard let s = JSValueToStringCopy(ref, v.ref, nil) else { return "" }
        defer { JSStringRelease(s) }
        return Self.swiftString(s)
    }

    static func swiftString(_ s: JSStringRef) -> String {
        let n = JSStringGetLength(s)
        guard n > 0, let chars = JSStringGetCharactersPtr(s) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: chars, count: n), as: UTF16.self)
    }

    /// Calls `body` with the UTF-8 bytes of `String(v)`, converted into reused scratch space
    /// (lone surrogates become U+FFFD). The bytes are valid only inside `body`.
    public func withUTF8<R>(of v: JSCValue, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        guard let s = JSValueToStringCopy(ref, v.ref, nil) else { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        defer { JSStringRelease(s) }
        let n = JSStringGetLength(s)
        guard n > 0, let chars = JSStringGetCharactersPtr(s) else {
            return body(UnsafeRawBufferPointer(start: nil, count: 0))
        }
        if n * 3 > scratchCapacity {
            scratch.deallocate()
            scratchCapacity = max(n * 3, scratchCapacity * 2)
            scratch = .allocate(capacity: scratchCapacity)
        }
        let count = UTF16Scratch.encodeUTF8(UnsafeBufferPointer(start: chars, count: n), into: scratch)
        return body(UnsafeRawBufferPointer(start: scratch, count: count))
    }

    // MARK: properties

    public func property(_ object: JSCValue, _ name: JSCString) -> JSCValue {
        JSCValue(JSObjectGetProperty(ref, object.ref, name.ref, nil))
    }

    public func property(_ object: JSCValue, _ name: String) -> JSCValue {
        let s = makeJSString(name)
        defer { JSStringRelease(s) }
        return JSCValue(JSObjectGetProperty(ref, object.ref, s, nil))
    }

    public func setProperty(_ object: JSCValue, _ name: String, _ value: JSCValue) {
        let s = makeJSString(name)
        defer { JSStringRelease(s) }
        JSObjectSetProperty(ref, object.ref, s, value.ref, JSPropertyAttributes(kJSPropertyAttributeNone), nil)
    }

    public func deleteProperty(_ object: JSCValue, _ name: String) {
        let s = makeJSString(name)
        defer { JSStringRelease(s) }
        JSObjectDeleteProperty(ref, object.ref, s, nil)
    }

    public func makeObject() -> JSCValue { JSCValue(JSObjectMake(ref, nil, nil)) }

    // MARK: lifetime

    /// JSValueProtect: keeps `v` alive across calls (for cached handler functions).
    public func protect(_ v: JSCValue) { JSValueProtect(ref, v.ref) }
    public func unprotect(_ v: JSCValue) { JSValueUnprotect(ref, v.ref) }

    // MARK: running code

    /// JSEvaluateScript: runs `source` as a classic script; returns its completion value.
    public func evaluate(_ source: String, sourceURL: String = "") throws(JSCError) -> JSCValue {
        let script = makeJSString(source)
        let url = makeJSString(sourceURL)
        defer { JSStringRelease(script); JSStringRelease(url) }
        var exception: JSValueRef? = nil
        let result = JSEvaluateScript(ref, script, nil, url, 1, &exception)
        if let exception { throw error(from: JSCValue(exception)) }
        return result.map(JSCValue.init) ?? undefined
    }

    /// JSEvaluateScript with a script text made once (a JSCString): the prelude, evaluated in
    /// every new context, is then not converted to UTF-16 again each time (about 60 KB).
    public func evaluate(_ source: JSCString, sourceURL: JSCString) throws(JSCError) -> JSCValue {
        var exception: JSValueRef? = nil
        let result = JSEvaluateScript(ref, source.ref, nil, sourceURL.ref, 1, &exception)
        if let exception { throw error(from: JSCValue(exception)) }
        return result.map(JSCValue.init) ?? undefined
    }

    /// JSCheckScriptSyntax: reports a syntax error without running anything.
    public func checkSyntax(_ source: String, sourceURL: String = "") throws(JSCError) {
        let script = makeJSString(source)
        let url = makeJSString(sourceURL)
        defer { JSStringRelease(script); JSStringRelease(url) }
        var exception: JSValueRef? = nil
        if !JSCheckScriptSyntax(ref, script, url, 1, &exception), let exception {
            throw error(from: JSCValue(exception))
        }
    }

    /// JSObjectCallAsFunction with the arguments in a stack buffer (no heap allocation).
    public func call(_ function: JSCValue, this: JSCValue? = nil, _ args: JSCValue...) throws(JSCError) -> JSCValue {
        try call(function, this: this, arguments: args)
    }

    public func call(_ function: JSCValue, this: JSCValue? = nil, arguments args: [JSCValue]) throws(JSCError) -> JSCValue {
        var exception: JSValueRef? = nil
        let result: JSValueRef? = withUnsafeTemporaryAllocation(of: JSValueRef?.self, capacity: max(args.count, 1)) { buf in
            for i in 0..<args.count { buf[i] = args[i].ref }
            return JSObjectCallAsFunction(ref, function.ref, this?.ref, args.count, buf.baseAddress, &exception)
        }
        if let exception { throw error(from: JSCValue(exception)) }
        return result.map(JSCValue.init) ?? undefined
    }

    /// Six-argument call without the variadic array, for the per-request dispatch.
    public func call6(_ function: JSCValue, _ a0: JSCValue, _ a1: JSCValue, _ a2: JSCValue,
                      _ a3: JSCValue, _ a4: JSCValue, _ a5: JSCValue) throws(JSCError) -> JSCValue {
        var exception: JSValueRef? = nil
        var args: (JSValueRef?, JSValueRef?, JSValueRef?, JSValueRef?, JSValueRef?, JSValueRef?) =
            (a0.ref, a1.ref, a2.ref, a3.ref, a4.ref, a5.ref)
        let result = withUnsafeMutableBytes(of: &args) { raw in
            JSObjectCallAsFunction(ref, function.ref, nil, 6,
                                   raw.baseAddress!.assumingMemoryBound(to: JSValueRef?.self), &exception)
        }
        if let exception { throw error(from: JSCValue(exception)) }
        return result.map(JSCValue.init) ?? undefined
    }

    /// Turns a thrown value into a JSCError (name, message, stack), noting whether the
    /// group's watchdog asked for the termination.
    public func error(from thrown: JSCValue) -> JSCError {
        let terminated = group.terminationRequested
        if JSValueIsObject(ref, thrown.ref) {
            let message = property(thrown, messageName)
            let stack = property(thrown, stackName)
            let name = property(thrown, nameName)
            if !isUndefined(message) {
                return JSCError(name: isUndefined(name) ? "" : toString(name), message: toString(message),
                                stack: isUndefined(stack) ? "" : toString(stack), terminated: terminated)
            }
        }
        return JSCError(name: "", message: toString(thrown), terminated: terminated)
    }

    /// A JavaScript Error object with `message`, for throwing from native functions.
    public func makeError(_ message: String) -> JSCValue {
        var arg: JSValueRef? = string(message).ref
        return JSCValue(JSObjectMakeError(ref, 1, &arg, nil))
    }

    // MARK: private JSC API

    /// JSGlobalContextSetUnhandledRejectionCallback: `function(promise, reason)` is called for
    /// each promise rejected with no handler once microtasks have drained.
    public func setUnhandledRejectionCallback(_ function: JSCValue) {
        JSGlobalContextSetUnhandledRejectionCallback(ref, function.ref, nil)
    }

    /// The `heapSize` field of JSGetMemoryUsageStatistics, in bytes.
    public func heapSizeBytes() -> Int { memoryUsage().heapSizeBytes }

    /// JSGetMemoryUsageStatistics. `heapSize` counts bytes the GC has accounted for since its
    /// last cycle and reads 0 for a small young heap; `heapCapacity` (bytes in the heap's
    /// blocks plus extra memory) is the steadier per-tenant figure. Not free: JSC walks the
    /// heap for its object counts and builds a fresh object each time (see Kernel-notes/isolates.md
    /// for the measured cost).
    public func memoryUsage() -> JSCMemoryUsage {
        let stats = JSCValue(JSGetMemoryUsageStatistics(ref))
        return JSCMemoryUsage(heapSizeBytes: toInt(property(stats, MemoryStatNames.heapSize)),
                              heapCapacityBytes: toInt(property(stats, MemoryStatNames.heapCapacity)),
                              extraMemoryBytes: toInt(property(stats, MemoryStatNames.extraMemorySize)),
                              objectCount: toInt(property(stats, MemoryStatNames.objectCount)))
    }

    /// Only `heapCapacity` from JSGetMemoryUsageStatistics (one property read instead of four).
    public func heapCapacityBytes() -> Int {
        toInt(property(JSCValue(JSGetMemoryUsageStatistics(ref)), MemoryStatNames.heapCapacity))
    }

    /// JSGarbageCollect: asks for a collection (used when measuring memory per tenant).
    public func collectGarbage() { JSGarbageCollect(ref) }
}

/// Property names of the statistics object, made once per process (JSStringRefs are
/// immutable and thread-safe reference counted).
enum MemoryStatNames {
    static let heapSize = JSCString("heapSize")
    static let heapCapacity = JSCString("heapCapacity")
    static let extraMemorySize = JSCString("extraMemorySize")
    static let objectCount = JSCString("objectCount")
}
