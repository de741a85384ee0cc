import Hummingbird
import NIOCore
import PostgresStore

/// The request context of every Pipsight route: Hummingbird's core context, the client's address (for the rate
/// limit when authentication is off) and the API key that authenticated the request, if any.
public struct PipsightRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's address; nil when the request did not come over a socket (router tests).
    public let remoteAddress: SocketAddress?
    /// The key that authenticated the request; nil on open routes or when authentication is disabled.
    public var apiKey: APIKey?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
        self.apiKey = nil
    }

    /// Who the rate limit counts the request against: the key's id, else the client's IP address.
    var rateLimitIdentity: String {
        if let apiKey { return "key:\(apiKey.id)" }
        return "address:\(remoteAddress?.ipAddress ?? "unknown")"
    }
}
