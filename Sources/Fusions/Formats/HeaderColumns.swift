/// A header line's column names and where they are, so parsers find columns by name, not position.
///
/// Names are compared without case, surrounding blanks or leading `#` (headers write `#gene1`,
/// `# chrom1`, `#FusionName`). The first of two equal names wins.
struct HeaderColumns: Sendable {
    /// The header's names as written (for messages).
    let names: [String]
    private let indexes: [String: Int]

    init(_ header: [Substring]) {
        names = header.map { String($0) }
        var indexes: [String: Int] = [:]
        for (i, name) in header.enumerated() {
            let key = Self.key(name)
            if indexes[key] == nil { indexes[key] = i }
        }
        self.indexes = indexes
    }

    /// The index of column `name`, or nil.
    subscript(name: String) -> Int? { indexes[Self.key(Substring(name))] }

    /// Whether every one of `names` is a column.
    func contains(all names: [String]) -> Bool { names.allSatisfy { self[$0] != nil } }

    /// Those of `names` that are not columns.
    func missing(_ names: [String]) -> [String] { names.filter { self[$0] == nil } }

    /// The indexes of `names`, in order.
    /// - Throws: ``FusionInputError`` naming the missing columns and the format.
    func require(_ names: [String], format: FusionFormat, path: String) throws -> [Int] {
        let missing = missing(names)
        guard missing.isEmpty else {
            throw FusionInputError(
                .missingColumn,
                path: path,
                "\(format.displayName) header lacks column(s) \(missing.joined(separator: ", ")); found: "
                    + "\(self.names.joined(separator: " "))"
            )
        }
        return names.compactMap { self[$0] }
    }

    /// The comparison key: lowercase, no surrounding blanks or leading `#`.
    static func key(_ name: Substring) -> String {
        var n = name.trimmingBlanks
        while n.first == "#" { n = n.dropFirst().trimmingBlanks }
        return n.lowercased()
    }
}
