import Foundation
import Hummingbird
import PipsightCore

/// The JSON error body every route returns: `{ "error": { "code", "message", "location" } }`.
public struct APIError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var location: ErrorLocation?
    public var headers: HTTPFields = [:]

    public init(status: HTTPResponse.Status, code: String, message: String, location: ErrorLocation? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.location = location
    }

    /// Maps a Pipsight error to its HTTP status: input errors are 422, missing things 404, the database 503.
    public init(_ error: PipsightError) {
        let status: HTTPResponse.Status = switch error.code {
        case .notFound: .notFound
        case .badRequest: .badRequest
        case .limitExceeded: .contentTooLarge
        case .database: .serviceUnavailable
        case .configuration, .io: .internalServerError
        default: .unprocessableContent
        }
        self.init(status: status, code: error.code.rawValue, message: error.message, location: error.location)
    }

    struct Body: Encodable {
        struct Inner: Encodable {
            var code: String
            var message: String
            var location: ErrorLocation?
        }
        var error: Inner
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(Body(error: .init(code: code, message: message, location: location)))
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
