import Foundation
import Logging
import NIOCore
import PipsightCore
import PostgresNIO
import VectorStore

/// The documents and their chunk vectors in PostgreSQL (tables `documents`, `document_embeddings`, `vector_rows`).
/// Writes go in batches through `unnest`, so a large backtest is a few statements, not one per row.
struct DocumentRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// Rows per bulk statement.
    static let batchRows = 1000
    /// Separates trade ids inside one text value (`string_to_array`).
    static let idSeparator = "\u{1F}"

    /// What replacing a backtest's documents changed.
    struct Replacement: Sendable, Hashable {
        var added = 0
        var changed = 0
        var removed = 0
        var unchanged = 0
        /// Ids of documents whose vectors were dropped (changed or removed).
        var droppedIDs: [String] = []
    }

    /// Makes the backtest's stored documents exactly `documents`, in one transaction: unchanged documents keep
    /// their vectors, changed ones lose them (and are embedded again), missing ones are deleted.
    func replace(backtestID: UUID, with documents: [RAGDocument]) async throws -> Replacement {
        let logger = self.logger
        return try await RAGDatabase.run("storing the documents of backtest \(backtestID)") {
            try await client.withTransaction(logger: logger) { connection in
                var existing: [String: String] = [:]
                let rows = try await connection.query(
                    "SELECT id, content_hash FROM documents WHERE backtest_id = \(backtestID) FOR UPDATE", logger: logger)
                for try await (id, hash) in rows.decode((String, String).self) { existing[id] = hash }
                var result = Replacement()
                var writes: [(RAGDocument, String)] = []
                var keep: [String] = []
                for document in documents {
                    let hash = Self.contentHash(document)
                    switch existing[document.id] {
                    case hash?:
                        result.unchanged += 1
                        keep.append(document.id)
                    case nil:
                        result.added += 1
                        writes.append((document, hash))
                    default:
                        result.changed += 1
                        result.droppedIDs.append(document.id)
                        writes.append((document, hash))
                    }
                }
                let wanted = Set(documents.map(\.id))
                let removed = existing.keys.filter { !wanted.contains($0) }
                result.removed = removed.count
                result.droppedIDs += removed
                if !removed.isEmpty || result.changed > 0 {
                    try await connection.query(
                        """
                        DELETE FROM vector_rows WHERE backtest_id = \(backtestID)
                          AND NOT (split_part(id, '#', 1) = ANY(\(keep)))
                        """, logger: logger)
                }
                if !removed.isEmpty {
                    try await connection.query(
                        "DELETE FROM documents WHERE backtest_id = \(backtestID) AND NOT (id = ANY(\(Array(wanted))))",
                        logger: logger)
                }
                if result.changed > 0 {
                    let changed = writes.filter { existing[$0.0.id] != nil }.map(\.0.id)
                    try await connection.query(
                        "DELETE FROM document_embeddings WHERE document_id = ANY(\(changed))", logger: logger)
                }
                var start = 0
                while start < writes.count {
                    let slice = writes[start..<min(writes.count, start + Self.batchRows)]
                    try await Self.upsert(Array(slice), backtestID: backtestID, on: connection, logger: logger)
                    start += Self.batchRows
                }
                if result.added + result.changed + result.removed > 0 {
                    // A new row version of the backtest (`BacktestVersion`): cached retrievals and answers that
                    // used its old documents stop matching, in this process and in every other one.
                    try await connection.query("UPDATE backtests SET extra = extra WHERE id = \(backtestID)", logger: logger)
                }
                return result
            }
        }
    }

    private static func upsert(_ rows: [(RAGDocument, String)], backtestID: UUID, on connection: PostgresConnection,
                               logger: Logger) async throws {
        let ids = rows.map(\.0.id), kinds = rows.map(\.0.kind.rawValue), titles = rows.map(\.0.title)
        let bodies = rows.map(\.0.text), hashes = rows.map(\.1)
        let tradeIDs = rows.map { $0.0.tradeIDs.joined(separator: idSeparator) }
        let starts = rows.map { $0.0.startTime.map(\.timeIntervalSince1970) ?? .nan }
        let ends = rows.map { $0.0.endTime.map(\.timeIntervalSince1970) ?? .nan }
        try await connection.query(
            """
            INSERT INTO documents (id, backtest_id, kind, title, body, trade_ids, time_start, time_end, content_hash)
            SELECT id, \(backtestID), kind, title, body, CASE WHEN trades = '' THEN '{}'::text[]
                       ELSE string_to_array(trades, \(idSeparator)) END,
                   CASE WHEN start_s = 'NaN' THEN NULL ELSE to_timestamp(start_s) END,
                   CASE WHEN end_s = 'NaN' THEN NULL ELSE to_timestamp(end_s) END, hash
            FROM unnest(\(ids)::text[], \(kinds)::text[], \(titles)::text[], \(bodies)::text[], \(tradeIDs)::text[],
                        \(starts)::float8[], \(ends)::float8[], \(hashes)::text[])
                 AS t(id, kind, title, body, trades, start_s, end_s, hash)
            ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, title = EXCLUDED.title, body = EXCLUDED.body,
                trade_ids = EXCLUDED.trade_ids, time_start = EXCLUDED.time_start, time_end = EXCLUDED.time_end,
                content_hash = EXCLUDED.content_hash, updated_at = now()
            """, logger: logger)
    }

    /// A stable fingerprint of everything stored about a document (two FNV-1a hashes, hex).
    static func contentHash(_ document: RAGDocument) -> String {
        var text = [document.kind.rawValue, document.title, document.text, document.tradeIDs.joined(separator: idSeparator)]
        text.append(document.startTime.map { String($0.timeIntervalSince1970) } ?? "-")
        text.append(document.endTime.map { String($0.timeIntervalSince1970) } ?? "-")
        let joined = text.joined(separator: "\u{1E}")
        let a = OfflineEmbedder.fnv1a(joined.utf8)
        let b = OfflineEmbedder.mix(OfflineEmbedder.fnv1a(joined.utf8.reversed()))
        return String(a, radix: 16) + String(b, radix: 16)
    }

    // MARK: - Embedding state

    /// Documents not yet fully embedded by `model` (of one backtest, or of all), in id order.
    func pending(model: String, backtestID: UUID?) async throws -> [RAGDocument] {
        try await RAGDatabase.run("listing documents to embed") {
            let rows = try await client.query(
                """
                SELECT d.id, d.backtest_id, d.kind, d.title, d.body, d.trade_ids, d.time_start, d.time_end
                FROM documents d
                WHERE (\(backtestID)::uuid IS NULL OR d.backtest_id = \(backtestID))
                  AND NOT EXISTS (SELECT 1 FROM document_embeddings e WHERE e.document_id = d.id AND e.model = \(model))
                ORDER BY d.id
                """, logger: logger)
            return try await Self.decodeDocuments(rows)
        }
    }

    /// Records that `ids` are completely embedded by `model`.
    func markEmbedded(_ ids: [String], chunks: [Int], model: String, dimension: Int) async throws {
        guard !ids.isEmpty else { return }
        try await RAGDatabase.run("recording embedded documents") {
            try await client.query(
                """
                INSERT INTO document_embeddings (document_id, model, dimension, chunks)
                SELECT id, \(model), \(dimension), n FROM unnest(\(ids)::text[], \(chunks)::integer[]) AS t(id, n)
                WHERE EXISTS (SELECT 1 FROM documents d WHERE d.id = t.id)
                ON CONFLICT (document_id, model) DO UPDATE SET dimension = EXCLUDED.dimension,
                    chunks = EXCLUDED.chunks, embedded_at = now()
                """, logger: logger)
        }
    }

    /// Inserts or replaces chunk vectors in one statement (vectors as little-endian float32 in one `bytea`).
    func storeVectors(_ rows: [VectorRow], model: String) async throws {
        guard let dimension = rows.first?.vector.count else { return }
        var blob = ByteBuffer()
        blob.reserveCapacity(rows.count * dimension * 4)
        for row in rows {
            guard row.vector.count == dimension, row.vector.allSatisfy(\.isFinite) else {
                throw PipsightError(.invalidValue, "vector \(row.id) has the wrong length or holds NaN/Inf")
            }
            for value in row.vector { blob.writeInteger(value.bitPattern, endianness: .little) }
        }
        let ids = rows.map(\.id), kinds = rows.map(\.metadata.kind)
        let backtests = rows.map { $0.metadata.backtestId ?? "" }
        let starts = rows.map { $0.metadata.timeStart.map(\.timeIntervalSince1970) ?? .nan }
        let ends = rows.map { $0.metadata.timeEnd.map(\.timeIntervalSince1970) ?? .nan }
        let width = dimension * 4
        try await RAGDatabase.run("storing document vectors") {
            try await client.query(
                """
                INSERT INTO vector_rows (id, backtest_id, kind, time_start, time_end, dimension, embedding, model)
                SELECT id, NULLIF(backtest, '')::uuid, kind,
                       CASE WHEN start_s = 'NaN' THEN NULL ELSE to_timestamp(start_s) END,
                       CASE WHEN end_s = 'NaN' THEN NULL ELSE to_timestamp(end_s) END,
                       \(dimension), substring(\(blob)::bytea FROM ((n - 1) * \(width) + 1)::integer FOR \(width)::integer), \(model)
                FROM unnest(\(ids)::text[], \(backtests)::text[], \(kinds)::text[], \(starts)::float8[], \(ends)::float8[])
                     WITH ORDINALITY AS t(id, backtest, kind, start_s, end_s, n)
                ON CONFLICT (id) DO UPDATE SET backtest_id = EXCLUDED.backtest_id, kind = EXCLUDED.kind,
                    time_start = EXCLUDED.time_start, time_end = EXCLUDED.time_end, dimension = EXCLUDED.dimension,
                    embedding = EXCLUDED.embedding, model = EXCLUDED.model, updated_at = now()
                """, logger: logger)
        }
    }

    /// Every chunk vector of `model` (the in-memory index loads these).
    func vectors(model: String, dimension: Int) async throws -> [VectorRow] {
        try await RAGDatabase.run("loading document vectors") {
            let rows = try await client.query(
                """
                SELECT id, backtest_id, kind, time_start, time_end, embedding FROM vector_rows
                WHERE model = \(model) AND dimension = \(dimension) ORDER BY id
                """, logger: logger)
            var result: [VectorRow] = []
            for try await (id, backtest, kind, start, end, embedding) in rows.decode(
                (String, UUID?, String, Date?, Date?, ByteBuffer).self
            ) {
                var buffer = embedding
                var vector: [Float] = []
                vector.reserveCapacity(dimension)
                while let bits = buffer.readInteger(endianness: .little, as: UInt32.self) {
                    vector.append(Float(bitPattern: bits))
                }
                guard vector.count == dimension else { continue }
                result.append(VectorRow(id: id, vector: vector, metadata: VectorMetadata(
                    backtestId: backtest?.uuidString.lowercased(), kind: kind, timeStart: start, timeEnd: end)))
            }
            return result
        }
    }

    // MARK: - Reading

    /// The documents with these ids (in no particular order; missing ids are skipped).
    func documents(ids: [String]) async throws -> [RAGDocument] {
        guard !ids.isEmpty else { return [] }
        return try await RAGDatabase.run("reading documents") {
            let rows = try await client.query(
                """
                SELECT id, backtest_id, kind, title, body, trade_ids, time_start, time_end
                FROM documents WHERE id = ANY(\(ids))
                """, logger: logger)
            return try await Self.decodeDocuments(rows)
        }
    }

    /// The documents of one backtest, optionally of one kind, in id order.
    func documents(backtestID: UUID, kind: DocumentKind?) async throws -> [RAGDocument] {
        try await RAGDatabase.run("reading documents") {
            let rows = try await client.query(
                """
                SELECT id, backtest_id, kind, title, body, trade_ids, time_start, time_end
                FROM documents WHERE backtest_id = \(backtestID) AND (\(kind?.rawValue)::text IS NULL OR kind = \(kind?.rawValue))
                ORDER BY id
                """, logger: logger)
            return try await Self.decodeDocuments(rows)
        }
    }

    /// Every stored backtest id, oldest first.
    func backtestIDs() async throws -> [UUID] {
        try await RAGDatabase.run("listing backtests") {
            let rows = try await client.query("SELECT id FROM backtests ORDER BY created_at, id", logger: logger)
            var ids: [UUID] = []
            for try await id in rows.decode(UUID.self) { ids.append(id) }
            return ids
        }
    }

    private static func decodeDocuments(_ rows: PostgresRowSequence) async throws -> [RAGDocument] {
        var result: [RAGDocument] = []
        for try await (id, backtest, kind, title, body, trades, start, end) in rows.decode(
            (String, UUID, String, String, String, [String], Date?, Date?).self
        ) {
            result.append(RAGDocument(id: id, backtestID: backtest, kind: DocumentKind(rawValue: kind) ?? .trade,
                                      title: title, text: body, tradeIDs: trades, startTime: start, endTime: end))
        }
        return result
    }
}
