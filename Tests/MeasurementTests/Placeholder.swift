import Testing

@Test func placeholderMeasurementTests() { #expect(Bool(true)) }
