import PipsightCore

extension PipsightError.Code {
    /// A vector's length differs from the index dimension.
    public static let dimensionMismatch = PipsightError.Code("dimension_mismatch")
    /// A vector holds NaN or ±Infinity (or, for float16 storage, a value beyond ±65504).
    public static let nonFiniteVector = PipsightError.Code("non_finite_vector")
    /// `k` is zero or negative.
    public static let invalidK = PipsightError.Code("invalid_k")
    /// A search ran on an index that holds no rows.
    public static let emptyIndex = PipsightError.Code("empty_index")
    /// `add` was given an id that the index (or the same batch) already holds.
    public static let duplicateId = PipsightError.Code("duplicate_id")
    /// A vector snapshot file is truncated, corrupt, or written for another dimension/element type/version.
    public static let corruptSnapshot = PipsightError.Code("corrupt_snapshot")
}
