/// The persisted model as read from a live database, for `caisse-central schema`.
public struct TableSchema: Hashable, Sendable {
    public struct Column: Hashable, Sendable {
        public var name: String
        public var type: String
        public var primaryKey: Bool
        public var notNull: Bool

        public init(name: String, type: String, primaryKey: Bool, notNull: Bool) {
            self.name = name
            self.type = type
            self.primaryKey = primaryKey
            self.notNull = notNull
        }
    }
    public struct ForeignKey: Hashable, Sendable {
        public var column: String
        public var table: String
        public var targetColumn: String

        public init(column: String, table: String, targetColumn: String) {
            self.column = column
            self.table = table
            self.targetColumn = targetColumn
        }
    }
    public var name: String
    public var columns: [Column]
    public var foreignKeys: [ForeignKey]

    public init(name: String, columns: [Column], foreignKeys: [ForeignKey]) {
        self.name = name
        self.columns = columns
        self.foreignKeys = foreignKeys
    }
}

public enum MermaidER {
    /// A Mermaid `erDiagram` of the tables, their columns, keys and relations.
    public static func render(_ tables: [TableSchema]) -> String {
        var out = "erDiagram\n"
        for table in tables.sorted(by: { $0.name < $1.name }) {
            out += "    \(table.name) {\n"
            let fkColumns = Set(table.foreignKeys.map(\.column))
            for c in table.columns {
                var keys: [String] = []
                if c.primaryKey { keys.append("PK") }
                if fkColumns.contains(c.name) { keys.append("FK") }
                let type = c.type.isEmpty ? "ANY" : c.type.lowercased().replacingOccurrences(of: " ", with: "_")
                out += "        \(type) \(c.name)\(keys.isEmpty ? "" : " " + keys.joined(separator: ","))\n"
            }
            out += "    }\n"
        }
        for table in tables.sorted(by: { $0.name < $1.name }) {
            for fk in table.foreignKeys.sorted(by: { ($0.table, $0.column) < ($1.table, $1.column) }) {
                out += "    \(fk.table) ||--o{ \(table.name) : \"\(fk.column)\"\n"
            }
        }
        return out
    }
}
