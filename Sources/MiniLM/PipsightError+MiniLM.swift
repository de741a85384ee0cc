import PipsightCore

extension PipsightError.Code {
    /// The built-in embedding model's files are not there (run `scripts/setup`).
    public static let embeddingModelMissing = PipsightError.Code("embedding_model_missing")
    /// A model file exists but cannot be read as what it claims to be (truncated, corrupt, wrong tensor shapes).
    public static let corruptModelFile = PipsightError.Code("corrupt_model_file")
}
