import CoreMetrics
import PipsightCore

extension OllamaClient {
    /// The counter of failed calls to Ollama, labelled `kind` (the error code).
    public static let errorsMetric = "pipsight_ollama_errors_total"

    /// Runs one public call and counts its failure (once, whatever retries happened inside) in
    /// `pipsight_ollama_errors_total{kind}`; a cancelled call is not a failure.
    func countingErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            let kind = (error as? PipsightError)?.code.rawValue ?? "other"
            Counter(label: Self.errorsMetric, dimensions: [("kind", kind)], factory: metricsFactory).increment()
            throw error
        }
    }
}
