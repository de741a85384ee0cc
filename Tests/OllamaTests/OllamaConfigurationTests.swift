import Foundation
import PipsightCore
import Testing
@testable import Ollama

@Suite struct OllamaConfigurationTests {
    @Test func defaultsPointAtALocalOllama() throws {
        let configuration = try OllamaConfiguration.fromEnvironment([:])
        #expect(configuration.baseURL.absoluteString == "http://127.0.0.1:11434")
        // The model Pipsight also has built in, so Ollama and the built-in embedder share one vector space.
        #expect(configuration.embeddingModel == "all-minilm")
        #expect(configuration.chatModel == "llama3.2")
        #expect(configuration.loadTimeout > configuration.requestTimeout)
        #expect(configuration.probeTimeout == .seconds(2))
        #expect(configuration.url("/api/embed") == "http://127.0.0.1:11434/api/embed")
    }

    @Test func environmentOverridesEveryKey() throws {
        let configuration = try OllamaConfiguration.fromEnvironment([
            "PIPSIGHT_OLLAMA_URL": "http://gpu-box:11500/",
            "PIPSIGHT_OLLAMA_TIMEOUT": "30",
            "PIPSIGHT_OLLAMA_LOAD_TIMEOUT": "900.5",
            "PIPSIGHT_OLLAMA_PROBE_TIMEOUT": "15",
            "PIPSIGHT_OLLAMA_RETRIES": "7",
            "PIPSIGHT_OLLAMA_KEEP_ALIVE": "1h",
            "PIPSIGHT_OLLAMA_EMBED_MODEL": "nomic-embed-text",
            "PIPSIGHT_OLLAMA_CHAT_MODEL": "qwen2.5:7b",
            "PIPSIGHT_OLLAMA_EMBED_BATCH": "64",
            "PIPSIGHT_OLLAMA_MODELS_DIR": "/etc/pipsight/models",
        ])
        #expect(configuration.url("/api/chat") == "http://gpu-box:11500/api/chat")
        #expect(configuration.requestTimeout == .seconds(30))
        #expect(configuration.loadTimeout == .milliseconds(900_500))
        #expect(configuration.probeTimeout == .seconds(15))
        #expect(configuration.retry.maxAttempts == 7)
        #expect(configuration.keepAlive == "1h")
        #expect(configuration.embeddingModel == "nomic-embed-text")
        #expect(configuration.chatModel == "qwen2.5:7b")
        #expect(configuration.embedBatchSize == 64)
        #expect(configuration.modelsDirectory.path == "/etc/pipsight/models")
    }

    @Test(arguments: [
        ("PIPSIGHT_OLLAMA_URL", "localhost:11434"),
        ("PIPSIGHT_OLLAMA_URL", "ftp://host"),
        ("PIPSIGHT_OLLAMA_TIMEOUT", "soon"),
        ("PIPSIGHT_OLLAMA_LOAD_TIMEOUT", "-1"),
        ("PIPSIGHT_OLLAMA_PROBE_TIMEOUT", "0"),
        ("PIPSIGHT_OLLAMA_RETRIES", "0"),
        ("PIPSIGHT_OLLAMA_EMBED_BATCH", "1.5"),
    ])
    func badValuesNameTheirKey(key: String, value: String) {
        #expect {
            try OllamaConfiguration.fromEnvironment([key: value])
        } throws: { error in
            guard let error = error as? PipsightError else { return false }
            return error.code == .configuration && error.message.contains(key)
        }
    }
}
