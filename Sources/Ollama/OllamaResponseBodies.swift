/// The body of `GET /api/tags`.
struct OllamaTagsResponse: Decodable {
    var models: [OllamaModelInfo]
}

/// The body of `GET /api/version`.
struct OllamaVersionResponse: Decodable {
    var version: String
}

/// An error body: `{"error": "…"}`.
struct OllamaErrorBody: Decodable {
    var error: String
}
