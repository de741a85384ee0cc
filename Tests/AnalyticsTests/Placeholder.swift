import Testing
@testable import Analytics

// Placeholder so the test target builds; replaced by the module's real tests.
@Test func moduleBuilds() { #expect(Bool(true)) }
