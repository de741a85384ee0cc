/// One numbered schema change. Migrations are applied in `version` order, each in its own transaction,
/// and recorded in `schema_migrations`; an applied migration is never edited, only followed by a new one.
public struct Migration: Sendable {
    public var version: Int
    public var name: String
    /// SQL statements, run one by one (PostgreSQL's extended protocol takes one statement per query).
    public var statements: [String]

    public init(version: Int, name: String, statements: [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }

    /// Every migration Pipsight knows, in order.
    public static let all: [Migration] = [
        .m001Initial,
        .m002VectorRows,
        .m004Documents,
        .m005APIKeys,
        .m006StatisticsColumns,
        .m007TradeColumnChunks,
    ]
}
