import Testing

@Test func placeholderIsolatesTests() { #expect(Bool(true)) }
