import Foundation
import Hummingbird
import MultipartKit
import PipsightCore

/// Reads an upload: a raw body (file name from `?name=` or `X-Filename`), or `multipart/form-data` with one file
/// part per export. The body is streamed and refused with 413 as soon as it passes the limit.
enum UploadBody {
    struct File {
        var name: String
        var data: Data
    }

    static func files(from request: Request, maxBytes: Int) async throws -> [File] {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes {
            throw tooLarge(maxBytes)
        }
        var buffer = ByteBuffer()
        for try await chunk in request.body {
            guard buffer.readableBytes + chunk.readableBytes <= maxBytes else { throw tooLarge(maxBytes) }
            var chunk = chunk
            buffer.writeBuffer(&chunk)
        }
        let contentType = request.headers[.contentType] ?? ""
        if contentType.lowercased().hasPrefix("multipart/form-data") {
            return try multipart(buffer, contentType: contentType)
        }
        let name = request.uri.queryParameters.get("name")
            ?? request.headers.first(where: { $0.name.canonicalName == "x-filename" })?.value
            ?? "upload"
        return [File(name: sanitize(name), data: Data(buffer: buffer))]
    }

    static func tooLarge(_ maxBytes: Int) -> PipsightError {
        PipsightError(.limitExceeded, "the upload is larger than the limit of \(maxBytes) bytes (PIPSIGHT_MAX_UPLOAD_BYTES)")
    }

    private static func multipart(_ body: ByteBuffer, contentType: String) throws -> [File] {
        guard let boundary = parameter("boundary", in: contentType) else {
            throw PipsightError(.badRequest, "multipart/form-data without a boundary")
        }
        final class Collector {
            var files: [File] = []
            var headers: [String: String] = [:]
            var data = Data()
        }
        let collector = Collector()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in collector.headers[name.lowercased()] = value }
        parser.onBody = { buffer in collector.data.append(contentsOf: buffer.readableBytesView) }
        parser.onPartComplete = {
            let disposition = collector.headers["content-disposition"] ?? ""
            if let filename = parameter("filename", in: disposition) {
                collector.files.append(File(name: sanitize(filename), data: collector.data))
            }
            collector.headers = [:]
            collector.data = Data()
        }
        do {
            try parser.execute(body)
        } catch {
            throw PipsightError(.badRequest, "the multipart body cannot be read: \(error)")
        }
        guard !collector.files.isEmpty else {
            throw PipsightError(.badRequest, "the multipart body has no file part (a part with a filename)")
        }
        return collector.files
    }

    /// `boundary=xyz` or `filename="a.json"` out of a header value.
    static func parameter(_ name: String, in header: String) -> String? {
        for part in header.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == name else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            return value
        }
        return nil
    }

    /// The last path component only, so a name can never point elsewhere, without control characters (U+0000
    /// cannot be stored, the others only garble logs and listings).
    static func sanitize(_ name: String) -> String {
        var visible = String.UnicodeScalarView()
        visible.append(contentsOf: name.unicodeScalars.lazy.filter { $0.properties.generalCategory != .control })
        let last = String(visible).split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        return last.isEmpty ? "upload" : String(last.prefix(200))
    }
}
