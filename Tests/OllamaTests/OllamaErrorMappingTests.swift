import PipsightCore
import Testing
@testable import Ollama

@Suite struct OllamaErrorMappingTests {
    @Test func ollamasNotFoundForAModelMeansNotPulled() {
        let error = OllamaClient.failure(status: 404, message: #"model "qwen2.5:7b" not found, try pulling it first"#,
                                         model: "qwen2.5:7b")
        #expect(error.code == .modelNotPulled)
        #expect(error.message == "model 'qwen2.5:7b' is not pulled: run `ollama pull qwen2.5:7b`")
    }

    @Test func aNotFoundPathIsNotAMissingModel() {
        // An Ollama too old for /api/embed answers a plain 404 for the path.
        let error = OllamaClient.failure(status: 404, message: "404 page not found", model: nil)
        #expect(error.code == .ollamaError)
        #expect(error.message == "Ollama answered 404: 404 page not found")
    }

    @Test func contextOverflowIsInputTooLong() {
        let error = OllamaClient.failure(status: 400, message: "the input length exceeds the context length", model: "all-minilm")
        #expect(error.code == .inputTooLong)
        #expect(error.message.contains("all-minilm"))
    }

    @Test func tagsMatchWithAndWithoutLatest() {
        let latest = OllamaModelInfo(name: "llama3.2:latest", model: "llama3.2:latest")
        #expect(latest.matches("llama3.2"))
        #expect(latest.matches("llama3.2:latest"))
        #expect(!latest.matches("llama3.2:1b"))
        #expect(!latest.matches("llama3"))
        let namespaced = OllamaModelInfo(name: "hf.co/org/model:Q4_K_M")
        #expect(namespaced.matches("hf.co/org/model:Q4_K_M"))
        #expect(!namespaced.matches("hf.co/org/model"))
    }

    @Test func unreachableNamesTheReasonOnceWithoutNIOsNesting() {
        struct Transport: Error, CustomStringConvertible {
            var description: String { "connection reset (error set): Connection refused (errno: 111)" }
        }
        let error = PipsightErrorFactory.unreachable("http://127.0.0.1:11434", Transport())
        #expect(error.code == .ollamaUnreachable)
        #expect(error.message.hasPrefix("Ollama is not reachable at http://127.0.0.1:11434 (connection refused): "))
        #expect(!error.message.contains("errno"))
    }
}
