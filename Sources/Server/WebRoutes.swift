import Foundation
import Hummingbird
import PipsightCore

/// `GET /` (the web page) and `GET /assets/{file}` (its scripts, styles and icons), from `WebAssets`.
///
/// Every file has an `ETag` and answers `If-None-Match` with 304. The page is revalidated on every load
/// (`no-cache`); asset URLs carrying the current `?v=` hash (as the page names them) are cacheable for a year.
/// The page may load only its own scripts and styles and talk only to this server (Content-Security-Policy).
struct WebRoutes: Sendable {
    /// Nil when the files are not installed: `/` then answers 500 with a JSON `configuration_error`.
    let assets: WebAssets?

    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    func register(on router: Router<PipsightRequestContext>) {
        router.get("/") { request, _ in try serve("index.html", request: request) }
        router.get("index.html") { request, _ in try serve("index.html", request: request) }
        router.get("assets/:file") { request, context in
            try serve("assets/\(context.parameters.get("file") ?? "")", request: request)
        }
    }

    func serve(_ path: String, request: Request) throws -> Response {
        guard let assets else {
            throw PipsightError(
                .configuration,
                "the web page is not installed next to the pipsight binary (pipsight_Server.resources/Web); set PIPSIGHT_WEB_ROOT or reinstall")
        }
        guard let asset = assets.files[path] else {
            throw PipsightError(.notFound, "no web asset \"\(path)\"")
        }
        var headers = HTTPFields()
        headers[.contentType] = asset.contentType
        headers[.eTag] = asset.etag
        let versioned = path != "index.html" && request.uri.queryParameters.get("v") == assets.version
        headers[.cacheControl] = versioned ? "public, max-age=31536000, immutable" : "no-cache"
        headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        if let match = request.headers[.ifNoneMatch],
           match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == asset.etag || $0 == "*" }) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentLength] = String(asset.data.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: asset.data)))
    }
}
