import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import PipsightCore

extension OllamaClient {
    /// The largest response body read whole (embeddings of a big batch are a few MiB).
    static let maxBodyBytes = 256 << 20

    /// Sends one request and returns a 2xx response whose body is still to be read. Retries a 503 per
    /// `configuration.retry` (when `retrying`); maps every other failure to a `PipsightError`.
    func send(
        _ method: HTTPMethod,
        _ path: String,
        body: Data?,
        model: String?,
        timeout: Duration? = nil,
        retrying: Bool = true,
        probing: Bool = true
    ) async throws -> HTTPClientResponse {
        if probing, !session.isReachable { try await probe() }
        let url = configuration.url(path)
        let loading = model.map { !session.isWarm($0) } ?? false
        let limit = timeout ?? (loading ? configuration.loadTimeout : configuration.requestTimeout)
        let attempts = retrying ? configuration.retry.maxAttempts : 1
        var generator = SystemRandomNumberGenerator()
        var attempt = 1
        while true {
            var request = HTTPClientRequest(url: url)
            request.method = method
            request.headers.add(name: "Accept", value: "application/json, application/x-ndjson")
            if let id = RequestTrace.id { request.headers.add(name: RequestTrace.headerName, value: id) }
            if let body {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(bytes: body))
            }
            let response: HTTPClientResponse
            do {
                response = try await httpClient.execute(request, timeout: Self.timeAmount(limit), logger: logger)
            } catch let error as HTTPClientError where error == .deadlineExceeded {
                throw PipsightErrorFactory.timeout(
                    configuration.baseURL.absoluteString, model: model, after: limit, loading: loading)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                session.setReachable(false)
                throw Self.isConnectFailure(error)
                    ? PipsightErrorFactory.unreachable(configuration.baseURL.absoluteString, error)
                    : PipsightErrorFactory.connectionLost(configuration.baseURL.absoluteString, error)
            }
            session.setReachable(true)
            if (200..<300).contains(response.status.code) {
                if let model { session.markWarm(model) }
                return response
            }
            let message = await Self.errorMessage(of: response)
            if response.status == .serviceUnavailable {
                guard attempt < attempts else {
                    throw PipsightErrorFactory.busy(configuration.baseURL.absoluteString, attempts: attempt)
                }
                let pause = configuration.retry.delay(afterAttempt: attempt, using: &generator)
                logger.warning("ollama busy, retrying", metadata: [
                    "ollama.path": "\(path)", "ollama.attempt": "\(attempt)",
                    "ollama.pause_ms": "\(Int(pause.seconds * 1000))", "ollama.error": "\(message)",
                ])
                try await Task.sleep(for: pause)
                attempt += 1
                continue
            }
            throw Self.failure(status: Int(response.status.code), message: message, model: model)
        }
    }

    /// Checks that something answers HTTP at the base URL within `probeTimeout` (any status will do).
    func probe() async throws {
        var request = HTTPClientRequest(url: configuration.url("/api/version"))
        request.method = .GET
        if let id = RequestTrace.id { request.headers.add(name: RequestTrace.headerName, value: id) }
        do {
            let response = try await httpClient.execute(
                request, timeout: Self.timeAmount(configuration.probeTimeout), logger: logger)
            _ = try? await response.body.collect(upTo: 64 << 10)
            session.setReachable(true)
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            throw PipsightErrorFactory.unreachable(
                configuration.baseURL.absoluteString,
                PipsightError(.ollamaTimeout, "no answer within \(configuration.probeTimeout)"))
        } catch {
            throw PipsightErrorFactory.unreachable(configuration.baseURL.absoluteString, error)
        }
    }

    /// An `HTTPClient` configuration suited to a local Ollama: a refused connection fails at once instead of
    /// being retried until the request's deadline, connecting may take 5 s, reading has no limit of its own
    /// (`OllamaConfiguration`'s timeouts bound the wait for each answer).
    public static func recommendedHTTPClientConfiguration() -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(5)
        return configuration
    }

    /// The error for a non-2xx answer other than 503.
    static func failure(status: Int, message: String, model: String?) -> PipsightError {
        let lowered = message.lowercased()
        if status == 404, let model, lowered.contains("not found"), lowered.contains("model") || lowered.contains(model.lowercased()) {
            return PipsightErrorFactory.notPulled(model)
        }
        if lowered.contains("context length") || lowered.contains("context window") {
            return PipsightErrorFactory.tooLong(model: model, message: message)
        }
        return PipsightErrorFactory.answered(status: status, model: model, message: message)
    }

    /// Ollama's `{"error": "…"}` text, or the start of the body, or the status line.
    static func errorMessage(of response: HTTPClientResponse) async -> String {
        guard let buffer = try? await response.body.collect(upTo: 64 << 10), buffer.readableBytes > 0 else {
            return "HTTP \(response.status.code) \(response.status.reasonPhrase)"
        }
        let data = Data(buffer.readableBytesView)
        if let body = try? JSONDecoder().decode(OllamaErrorBody.self, from: data) { return body.error }
        let text = String(decoding: data.prefix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "HTTP \(response.status.code) \(response.status.reasonPhrase)" : text
    }

    /// Whether `error` means no connection could be made (as opposed to one that broke).
    static func isConnectFailure(_ error: any Error) -> Bool {
        if error is NIOConnectionError { return true }
        if let error = error as? IOError {
            return [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EADDRNOTAVAIL, ETIMEDOUT].contains(error.errnoCode)
        }
        if let error = error as? ChannelError, case .connectTimeout = error { return true }
        if let error = error as? HTTPClientError, error == .connectTimeout { return true }
        let text = String(describing: error).lowercased()
        return text.contains("connection refused") || text.contains("connectionrefused")
            || text.contains("no such host") || text.contains("lookup")
    }

    /// Reads and decodes a whole JSON body.
    func decode<T: Decodable>(_ type: T.Type, from response: HTTPClientResponse) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await response.body.collect(upTo: Self.maxBodyBytes)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw PipsightErrorFactory.connectionLost(configuration.baseURL.absoluteString, error)
        }
        let data = Data(buffer.readableBytesView)
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            if let body = try? JSONDecoder().decode(OllamaErrorBody.self, from: data) {
                throw PipsightErrorFactory.answered(status: Int(response.status.code), model: nil, message: body.error)
            }
            throw PipsightErrorFactory.badResponse(
                "Ollama's answer could not be read as \(T.self): \(String(decoding: data.prefix(200), as: UTF8.self))")
        }
    }

    func encode(_ value: some Encodable) throws -> Data {
        try JSONEncoder().encode(value)
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
