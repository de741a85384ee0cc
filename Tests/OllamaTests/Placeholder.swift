import Testing
@testable import Ollama

// Placeholder so the test target builds; replaced by the module's real tests.
@Test func moduleBuilds() { #expect(Bool(true)) }
