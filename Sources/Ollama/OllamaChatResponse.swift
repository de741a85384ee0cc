/// A whole chat answer: the text and Ollama's counts and timings (nanoseconds).
public struct OllamaChatResponse: Sendable, Hashable {
    public var model: String
    public var content: String
    public var doneReason: String?
    public var promptEvalCount: Int?
    public var evalCount: Int?
    public var totalDuration: Int64?
    public var loadDuration: Int64?

    public init(model: String, content: String, doneReason: String? = nil, promptEvalCount: Int? = nil,
                evalCount: Int? = nil, totalDuration: Int64? = nil, loadDuration: Int64? = nil) {
        self.model = model
        self.content = content
        self.doneReason = doneReason
        self.promptEvalCount = promptEvalCount
        self.evalCount = evalCount
        self.totalDuration = totalDuration
        self.loadDuration = loadDuration
    }
}
