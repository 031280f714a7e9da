/// A header line's column names and where they are, so parsers find columns by name, not position.
///
/// Names are compared without case, surrounding blanks or leading `#` (headers write `#gene1`,
/// `# chrom1`, `#FusionName`). The first of two equal names wins.
struct HeaderColumns: Sendable {
    /// The header's names as written (for messages).
    let names: [String]
    /// The first column of each name; a name written twice is found at its first column.
    private let indexes: [String: Int]
    /// Names written more than once, with every 0-based column they head.
    private let repeated: [String: [Int]]

    init(_ header: [Substring]) {
        names = header.map { String($0) }
        var indexes: [String: Int] = [:]
        var all: [String: [Int]] = [:]
        for (i, name) in header.enumerated() {
            let key = Self.key(name)
            if indexes[key] == nil { indexes[key] = i }
            all[key, default: []].append(i)
        }
        self.indexes = indexes
        repeated = all.filter { $0.value.count > 1 }
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
        // A caller's own header is read as its parser expects; a mapping the user wrote must not
        // pick one of two same-named columns silently.
        if format == .columns, let name = names.first(where: { repeated[Self.key(Substring($0))] != nil }),
            let columns = repeated[Self.key(Substring(name))]
        {
            throw FusionInputError(
                .missingColumn, path: path,
                "the header has \(columns.count) columns named \(name) (columns "
                    + "\(columns.map { String($0 + 1) }.joined(separator: ", "))), so --columns cannot tell which is "
                    + "meant: rename them in the header")
        }
        return names.compactMap { self[$0] }
    }

    /// The comparison key: lowercase, no surrounding blanks or leading `#`.
    static func key(_ name: Substring) -> String {
        var n = name.trimmingBlanks
        while n.utf8.first == UInt8(ascii: "#") { n = n.dropFirst().trimmingBlanks }
        // ASCII names (all real headers) are lowercased byte by byte: `lowercased()` maps Unicode
        // case, and detection keys every column of the first line.
        let bytes = n.utf8
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return n.lowercased() }
        return String(unsafeUninitializedCapacity: bytes.count) { buffer in
            for (i, byte) in bytes.enumerated() {
                buffer[i] = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
            }
            return bytes.count
        }
    }
}

/// A first line as the formats split it, each way of splitting done once: detection tries every
/// headed format on the line (and the closest-format hint all of them again), and all but one split
/// alike (tabs), so splitting and indexing per format cost ~20 times over for a line with many columns.
struct HeaderLine {
    let text: String
    private var splits: [(separator: UInt8, quoted: Bool, fields: [Substring], columns: HeaderColumns)] = []

    init(_ text: String) { self.text = text }

    /// `text`'s fields as `description` splits them, and their columns.
    mutating func split(as description: FormatDescription) -> (fields: [Substring], columns: HeaderColumns) {
        if let done = splits.first(where: { $0.separator == description.separator && $0.quoted == description.quoted })
        {
            return (done.fields, done.columns)
        }
        let fields = description.fields(of: text)
        let columns = HeaderColumns(fields)
        splits.append((description.separator, description.quoted, fields, columns))
        return (fields, columns)
    }
}
