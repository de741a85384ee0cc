import Foundation
import PipsightCore
import PipsightTesting
import Testing
@testable import Ollama

@Suite struct OllamaChatTests {
    private let question = [
        ChatMessage(role: .system, content: "Answer from the data."),
        ChatMessage(role: .user, content: "Which weekday lost most?"),
    ]

    @Test func aWholeAnswerWithOptionsAndFormat() async throws {
        try await withStub { stub, client in
            let options = OllamaModelOptions(temperature: 0.1, seed: 7, numCtx: 4096, numPredict: 200)
            let answer = try await client.chat(model: "llama3.2", messages: question, options: options, format: .json)
            #expect(answer.content == #"{"answer":"stub"}"#)
            #expect(answer.doneReason == "stop")
            let body = try #require(stub.requests(to: "/api/chat").first?.body?.objectValue)
            #expect(body["stream"] == .bool(false))
            #expect(body["format"] == .string("json"))
            #expect(body["options"] == .object([
                "temperature": .number(0.1), "seed": .number(7), "num_ctx": .number(4096), "num_predict": .number(200),
            ]))
            #expect(body["messages"] == .array([
                .object(["role": .string("system"), "content": .string("Answer from the data.")]),
                .object(["role": .string("user"), "content": .string("Which weekday lost most?")]),
            ]))
        }
    }

    @Test func aSchemaFormatIsSentAsAnObject() async throws {
        try await withStub { stub, client in
            let schema = JSONValue.object(["type": .string("object"),
                                           "properties": .object(["answer": .object(["type": .string("string")])])])
            _ = try await client.chat(model: "llama3.2", messages: question, format: .schema(schema))
            #expect(stub.requests(to: "/api/chat").first?.body?.objectValue?["format"] == schema)
            // No options set: the key is left out.
            #expect(stub.requests(to: "/api/chat").first?.body?.objectValue?["options"] == nil)
        }
    }

    @Test func aStreamArrivesInFragmentsAndEndsWithDone() async throws {
        try await withStub { stub, client in
            var fragments: [String] = []
            var last: OllamaChatChunk?
            for try await chunk in client.streamChat(model: "llama3.2", messages: question) {
                if !chunk.content.isEmpty { fragments.append(chunk.content) }
                last = chunk
            }
            #expect(fragments == ["Stub ", "answer ", "to: ", "Which ", "weekday ", "lost ", "most?"])
            #expect(last?.isDone == true)
            #expect(last?.evalCount == 7)
            #expect(stub.requests(to: "/api/chat").first?.body?.objectValue?["stream"] == .bool(true))
        }
    }

    @Test func anErrorLineInTheMiddleOfTheStreamIsThrown() async throws {
        try await withStub { stub, client in
            stub.inject(.errorMidStream(afterChunks: 2, message: "model runner has unexpectedly stopped"))
            var fragments: [String] = []
            let error = await pipsightError {
                for try await chunk in client.streamChat(model: "llama3.2", messages: question) {
                    fragments.append(chunk.content)
                }
            }
            #expect(fragments == ["Stub ", "answer "])
            #expect(error?.code == .ollamaError)
            #expect(error?.message.contains("model runner has unexpectedly stopped") == true)
        }
    }

    @Test func aDroppedConnectionInTheMiddleOfTheStreamIsThrown() async throws {
        try await withStub { stub, client in
            stub.inject(.dropConnection)
            var fragments: [String] = []
            let error = await pipsightError {
                for try await chunk in client.streamChat(model: "llama3.2", messages: question) {
                    fragments.append(chunk.content)
                }
            }
            #expect(fragments == ["Stub "])
            #expect(error != nil)
            #expect([.ollamaUnreachable, .ollamaBadResponse].contains(error?.code))
        }
    }

    @Test func aMissingChatModelFailsTheStream() async throws {
        try await withStub { _, client in
            let error = await pipsightError {
                for try await _ in client.streamChat(model: "llama9", messages: question) {}
            }
            #expect(error?.code == .modelNotPulled)
        }
    }

    @Test func stoppingEarlyCancelsTheRequest() async throws {
        let options = OllamaStubServer.Options(tokenDelay: .milliseconds(20),
                                               reply: { _ in String(repeating: "word ", count: 500) })
        try await withStub(options) { _, client in
            var count = 0
            for try await _ in client.streamChat(model: "llama3.2", messages: question) {
                count += 1
                if count == 3 { break }
            }
            #expect(count == 3)
            // The client still works after an abandoned stream.
            #expect(try await client.version() == "0.0.0-stub")
        }
    }
}
