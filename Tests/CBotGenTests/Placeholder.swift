import Testing
@testable import CBotGen

// Placeholder so the test target builds; replaced by the module's real tests.
@Test func moduleBuilds() { #expect(Bool(true)) }
