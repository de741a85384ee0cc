import Foundation
import Logging
import NIOCore
import PipsightCore
import PostgresNIO
import VectorStore

/// The vector rows in PostgreSQL, the source of truth the in-memory `VectorIndex` loads from at start.
/// Vectors are stored as little-endian float32 `bytea`; `vector_state.version` changes with every write
/// (a statement trigger, so cascaded deletes count too).
public struct PostgresVectorRowSource: VectorRowSource {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func currentVersion() async throws -> UInt64 {
        try await database("reading the vector version") {
            let rows = try await client.query("SELECT version FROM vector_state", logger: logger)
            for try await version in rows.decode(Int64.self) { return UInt64(max(0, version)) }
            throw PipsightError(.database, "vector_state is empty: run `pipsight migrate`")
        }
    }

    public func loadAllRows() async throws -> [VectorRow] {
        try await database("loading vector rows") {
            let rows = try await client.query(
                """
                SELECT id, backtest_id, kind, time_start, time_end, dimension, embedding
                FROM vector_rows ORDER BY id
                """, logger: logger)
            var result: [VectorRow] = []
            for try await (id, backtest, kind, start, end, dimension, embedding) in rows.decode(
                (String, UUID?, String, Date?, Date?, Int, ByteBuffer).self
            ) {
                var buffer = embedding
                var vector: [Float] = []
                vector.reserveCapacity(dimension)
                while let bits = buffer.readInteger(endianness: .little, as: UInt32.self) {
                    vector.append(Float(bitPattern: bits))
                }
                guard vector.count == dimension else {
                    throw PipsightError(.database, "vector row \(id) holds \(vector.count) values, not \(dimension)")
                }
                result.append(VectorRow(
                    id: id, vector: vector,
                    metadata: VectorMetadata(
                        backtestId: backtest?.uuidString.lowercased(), kind: kind, timeStart: start, timeEnd: end)))
            }
            return result
        }
    }

    /// Inserts or replaces rows (by id) in one transaction. `backtestId` must be a backtest's UUID when set.
    public func upsert(_ rows: [VectorRow], model: String) async throws {
        var prepared: [(VectorRow, UUID?, ByteBuffer)] = []
        for row in rows {
            guard row.vector.allSatisfy(\.isFinite), !row.vector.isEmpty else {
                throw PipsightError(.invalidValue, "vector \(row.id) is empty or holds NaN/Inf")
            }
            var backtest: UUID?
            if let text = row.metadata.backtestId {
                guard let id = UUID(uuidString: text) else {
                    throw PipsightError(.invalidValue, "vector \(row.id): backtest id \"\(text)\" is not a UUID")
                }
                backtest = id
            }
            var buffer = ByteBuffer()
            buffer.reserveCapacity(row.vector.count * 4)
            for value in row.vector { buffer.writeInteger(value.bitPattern, endianness: .little) }
            prepared.append((row, backtest, buffer))
        }
        let logger = self.logger
        try await database("storing vector rows") {
            try await client.withTransaction(logger: logger) { connection in
                for (row, backtest, buffer) in prepared {
                    try await connection.query(
                        """
                        INSERT INTO vector_rows (id, backtest_id, kind, time_start, time_end, dimension, embedding, model)
                        VALUES (\(row.id), \(backtest), \(row.metadata.kind), \(row.metadata.timeStart),
                                \(row.metadata.timeEnd), \(row.vector.count), \(buffer), \(model))
                        ON CONFLICT (id) DO UPDATE SET backtest_id = EXCLUDED.backtest_id, kind = EXCLUDED.kind,
                            time_start = EXCLUDED.time_start, time_end = EXCLUDED.time_end,
                            dimension = EXCLUDED.dimension, embedding = EXCLUDED.embedding,
                            model = EXCLUDED.model, updated_at = now()
                        """, logger: logger)
                }
            }
        }
    }

    /// Deletes rows by id; returns how many existed.
    @discardableResult
    public func delete(ids: [String]) async throws -> Int {
        try await database("deleting vector rows") {
            let rows = try await client.query(
                "WITH gone AS (DELETE FROM vector_rows WHERE id = ANY(\(ids)) RETURNING 1) SELECT count(*)::integer FROM gone",
                logger: logger)
            for try await count in rows.decode(Int.self) { return count }
            return 0
        }
    }

    private func database<T>(_ doing: String, _ body: () async throws -> T) async throws -> T {
        try await databaseOperation(doing, body)
    }
}
