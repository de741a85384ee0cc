/// Where the index's rows live (PostgreSQL in production). The index loads from it at start.
public protocol VectorRowSource: Sendable {
    /// A number that changes whenever the rows change (for PostgreSQL: the change sequence).
    /// A snapshot file saved at another version is stale and is not used.
    func currentVersion() async throws -> UInt64
    /// Every row.
    func loadAllRows() async throws -> [VectorRow]
}

/// An in-memory row source for tests and tools.
public actor InMemoryVectorRowSource: VectorRowSource {
    private var rows: [VectorRow]
    private var version: UInt64
    /// How many times `loadAllRows()` ran (tests use it to see whether the snapshot file was used).
    public private(set) var loadCount = 0

    public init(rows: [VectorRow] = [], version: UInt64 = 1) {
        self.rows = rows
        self.version = version
    }

    public func currentVersion() -> UInt64 { version }

    public func loadAllRows() -> [VectorRow] {
        loadCount += 1
        return rows
    }

    /// Replaces the rows and bumps the version.
    public func setRows(_ newRows: [VectorRow]) {
        rows = newRows
        version += 1
    }
}
