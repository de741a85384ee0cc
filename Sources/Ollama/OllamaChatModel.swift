import Foundation
import PipsightCore

/// The `ChatModel` port over Ollama's streamed `/api/chat`, for one model.
public struct OllamaChatModel: ChatModel {
    public let client: OllamaClient
    public let descriptor: ModelDescriptor
    /// Structured output (`nil`: free text).
    public let format: OllamaResponseFormat?
    /// Ollama's `keep_alive` for these requests (`nil`: the client's configuration).
    public let keepAlive: String?

    public var modelName: String { descriptor.tag }

    public init(client: OllamaClient, descriptor: ModelDescriptor, format: OllamaResponseFormat? = nil,
                keepAlive: String? = nil) {
        self.client = client
        self.descriptor = descriptor
        self.format = format
        self.keepAlive = keepAlive
    }

    /// The model named by the client's configuration, described by its `models/` folder.
    public init(client: OllamaClient) throws {
        let configuration = client.configuration
        self.init(client: client,
                  descriptor: try ModelDescriptor.load(tag: configuration.chatModel, from: configuration.modelsDirectory))
    }

    /// The Ollama options for `options`: the descriptor's default context window unless one is set.
    public func ollamaOptions(_ options: ChatOptions) -> OllamaModelOptions {
        var ollama = OllamaModelOptions(options)
        if ollama.numCtx == nil { ollama.numCtx = descriptor.defaultContextTokens }
        return ollama
    }

    /// Loads the model into Ollama now (with the load timeout), so the first answer starts sooner.
    public func warmUp() async throws {
        try await client.warmUp(model: modelName, kind: .chat)
    }

    public func streamChat(_ messages: [ChatMessage], options: ChatOptions) -> AsyncThrowingStream<String, any Error> {
        let chunks = client.streamChat(model: modelName, messages: messages, options: ollamaOptions(options),
                                       format: format, keepAlive: keepAlive)
        let (stream, continuation) = AsyncThrowingStream<String, any Error>.makeStream()
        let task = Task {
            do {
                for try await chunk in chunks where !chunk.content.isEmpty {
                    continuation.yield(chunk.content)
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
