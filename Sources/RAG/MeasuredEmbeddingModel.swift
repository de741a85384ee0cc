import CoreMetrics
import PipsightCore

/// An `EmbeddingModel` that records each call of the model it wraps: `pipsight_embedding_calls_total{model,
/// purpose, outcome}` (outcome `ok` or `error`), `pipsight_embedding_texts_total{model, purpose}` and the
/// latency histogram `pipsight_embedding_duration_seconds{model, purpose}`.
public struct MeasuredEmbeddingModel: EmbeddingModel {
    public static let callsMetric = "pipsight_embedding_calls_total"
    public static let textsMetric = "pipsight_embedding_texts_total"
    public static let durationMetric = "pipsight_embedding_duration_seconds"

    /// The model whose calls are recorded.
    public let base: any EmbeddingModel
    let factory: any MetricsFactory

    public init(_ base: any EmbeddingModel, factory: any MetricsFactory = MetricsSystem.factory) {
        self.base = base
        self.factory = factory
    }

    public var modelName: String { base.modelName }
    public var dimension: Int { base.dimension }
    public var maxInputCharacters: Int? { base.maxInputCharacters }

    public func embed(_ texts: [String], purpose: EmbeddingPurpose) async throws -> [[Float]] {
        let dimensions = [("model", base.modelName), ("purpose", purpose.rawValue)]
        let started = ContinuousClock.now
        do {
            let vectors = try await base.embed(texts, purpose: purpose)
            record(dimensions, outcome: "ok", count: texts.count, since: started)
            return vectors
        } catch {
            record(dimensions, outcome: "error", count: texts.count, since: started)
            throw error
        }
    }

    private func record(_ dimensions: [(String, String)], outcome: String, count: Int, since started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        Counter(label: Self.callsMetric, dimensions: dimensions + [("outcome", outcome)], factory: factory).increment()
        Counter(label: Self.textsMetric, dimensions: dimensions, factory: factory).increment(by: count)
        Timer(label: Self.durationMetric, dimensions: dimensions, factory: factory).recordNanoseconds(elapsed.nanoseconds)
    }
}
