// HTTPRequestLookup: finding a header's value by name, for code that reads requests.

extension HTTPRequest {
    /// The value range of the first field named `name` (compared case-insensitively; pass it
    /// in lowercase), or nil. `bytes` must be the buffer the request was parsed from.
    public func firstValue(of name: StaticString, in bytes: UnsafeRawBufferPointer) -> Range<Int>? {
        guard let base = bytes.baseAddress else { return nil }
        for field in headers where field.name.upperBound <= bytes.count
            && bytesEqualIgnoringCase(base, field.name, name) {
            return field.value
        }
        return nil
    }
}
