import AsyncHTTPClient
import Foundation
import PipsightCore
import Synchronization

extension OllamaClient {
    /// Sends a streamed chat request and hands each NDJSON line to `yield` as it arrives. A watchdog ends the
    /// stream with `ollama_timeout` when no bytes arrive for `requestTimeout` (a stalled runner).
    func streamChatLines(
        _ request: OllamaChatRequest, yield: @escaping @Sendable (OllamaChatChunk) -> Void
    ) async throws {
        let response = try await send(.POST, "/api/chat", body: try encode(request), model: request.model)
        let activity = StreamActivity()
        let idle = configuration.requestTimeout
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await self.readChatLines(response, model: request.model, activity: activity, yield: yield)
            }
            group.addTask {
                while true {
                    let waited = ContinuousClock.now - activity.last
                    if waited >= idle {
                        throw PipsightError(
                            .ollamaTimeout,
                            "model '\(request.model)' sent nothing for \(Int(idle.seconds.rounded())) s in the middle of its answer (raise PIPSIGHT_OLLAMA_TIMEOUT if it is just slow)")
                    }
                    try await Task.sleep(for: idle - waited)
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    private func readChatLines(
        _ response: HTTPClientResponse, model: String, activity: StreamActivity,
        yield: @Sendable (OllamaChatChunk) -> Void
    ) async throws {
        var lines = NDJSONLineBuffer()
        var finished = false
        // One decoder for every line of the answer (a reply is hundreds of lines, one token each).
        let decoder = JSONDecoder()
        func handle(_ line: [UInt8]) throws {
            let chunk: OllamaChatChunk
            do {
                chunk = try decoder.decode(OllamaChatChunk.self, from: Data(line))
            } catch {
                throw PipsightErrorFactory.badResponse(
                    "model '\(model)' sent a line that is not a chat chunk: \(String(decoding: line.prefix(200), as: UTF8.self))")
            }
            if let error = chunk.error { throw PipsightErrorFactory.midStream(model: model, message: error) }
            guard !finished else { return }
            yield(chunk)
            if chunk.isDone { finished = true }
        }
        do {
            for try await buffer in response.body {
                activity.touch()
                for line in try lines.append(buffer) { try handle(line) }
            }
            if let line = lines.finish() { try handle(line) }
        } catch let error as PipsightError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw PipsightErrorFactory.connectionLost(configuration.baseURL.absoluteString, error)
        }
        guard finished else {
            throw PipsightErrorFactory.badResponse(
                "the answer of model '\(model)' stopped before it was complete (no final line with done: true)")
        }
    }
}

/// When a stream last received bytes.
final class StreamActivity: Sendable {
    private let instant = Mutex(ContinuousClock.now)

    var last: ContinuousClock.Instant { instant.withLock { $0 } }

    func touch() {
        instant.withLock { $0 = .now }
    }
}
