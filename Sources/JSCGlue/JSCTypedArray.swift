// JSCTypedArray: byte access to Uint8Array / ArrayBuffer values and creation of Uint8Arrays.
import CJavaScriptCore

extension JSCContext {
    /// A new Uint8Array holding a copy of `bytes` (JSObjectMakeTypedArray, then one memcpy).
    public func uint8Array(copying bytes: UnsafeRawBufferPointer) -> JSCValue {
        let object = JSObjectMakeTypedArray(ref, kJSTypedArrayTypeUint8Array, bytes.count, nil)!
        if bytes.count > 0, let dst = JSObjectGetTypedArrayBytesPtr(ref, object, nil) {
            let offset = JSObjectGetTypedArrayByteOffset(ref, object, nil)
            (dst + offset).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        }
        return JSCValue(object)
    }

    /// A new zero-filled Uint8Array of `count` bytes; `fill` writes into it.
    public func uint8Array(count: Int, _ fill: (UnsafeMutableRawBufferPointer) -> Void) -> JSCValue {
        let object = JSObjectMakeTypedArray(ref, kJSTypedArrayTypeUint8Array, count, nil)!
        if count > 0, let dst = JSObjectGetTypedArrayBytesPtr(ref, object, nil) {
            let offset = JSObjectGetTypedArrayByteOffset(ref, object, nil)
            fill(UnsafeMutableRawBufferPointer(start: dst + offset, count: count))
        }
        return JSCValue(object)
    }

    /// The bytes viewed by a typed array (any element type, honouring byteOffset) or held by an
    /// ArrayBuffer; nil for anything else. Valid until the script runs again.
    /// JSObjectGetTypedArrayBytesPtr returns the start of the backing buffer, hence the offset.
    public func bytes(of v: JSCValue) -> UnsafeMutableRawBufferPointer? {
        guard JSValueIsObject(ref, v.ref) else { return nil }
        let type = JSValueGetTypedArrayType(ref, v.ref, nil)
        if type == kJSTypedArrayTypeNone { return nil }
        if type == kJSTypedArrayTypeArrayBuffer {
            let n = JSObjectGetArrayBufferByteLength(ref, v.ref, nil)
            guard n > 0, let p = JSObjectGetArrayBufferBytesPtr(ref, v.ref, nil) else {
                return UnsafeMutableRawBufferPointer(start: nil, count: 0)
            }
            return UnsafeMutableRawBufferPointer(start: p, count: n)
        }
        let n = JSObjectGetTypedArrayByteLength(ref, v.ref, nil)
        guard n > 0, let p = JSObjectGetTypedArrayBytesPtr(ref, v.ref, nil) else {
            return UnsafeMutableRawBufferPointer(start: nil, count: 0)
        }
        let offset = JSObjectGetTypedArrayByteOffset(ref, v.ref, nil)
        return UnsafeMutableRawBufferPointer(start: p + offset, count: n)
    }
}
