import Support

/// The columns of a fusion table in no known format (a paper's supplement, a lab's own sheet), named
/// by the user: `Hgene=NAME,Hchr=NAME,Hbp=NAME,Tgene=NAME,Tchr=NAME,Tbp=NAME[,Hstrand=NAME,Tstrand=NAME]`
/// (the CLI's `--columns`). H is the 5' partner. A name may hold spaces and single quotes (`Gene 5'`);
/// one holding a comma is written in double quotes (`"Gene, 5'"`, `""` for a quote inside).
/// Columns are then found by name in the file's header (without case or a leading `#`), which may be
/// tab- or comma-separated. Strands come from the table when mapped, else from `--annotation`, else `.`.
public struct ColumnMapping: Sendable, Equatable {
    /// The header names of the 5' partner's gene, chromosome, position and (optional) strand columns.
    public let head: Partner
    /// The same for the 3' partner.
    public let tail: Partner
    /// Whether positions are 0-based (`--zero-based`); they are 1-based otherwise.
    public let zeroBased: Bool
    /// The column separator: tab, or comma (CSV with quoted fields).
    public let separator: Character

    /// One partner's column names.
    public struct Partner: Sendable, Equatable {
        public let gene: String
        public let chromosome: String
        public let position: String
        public let strand: String?
    }

    /// The mapping's keys, in the order they are written.
    static let keys = ["Hgene", "Hchr", "Hbp", "Hstrand", "Tgene", "Tchr", "Tbp", "Tstrand"]

    /// Parses `text`, the `--columns` value.
    /// - Parameters:
    ///   - zeroBased: positions are 0-based.
    ///   - separator: `\t` (default) or `,`.
    /// - Throws: ``ColumnMappingError`` naming the entry at fault.
    public init(parsing text: String, zeroBased: Bool = false, separator: Character = "\t") throws(ColumnMappingError) {
        var names: [String: String] = [:]
        for entry in try Self.entries(of: text) {
            guard let equals = entry.firstIndex(of: "=") else {
                throw ColumnMappingError(.malformedEntry, "'\(entry)' is not KEY=NAME (for example Hgene=gene1)")
            }
            let written = entry[..<equals].trimmingBlanks
            guard let key = Self.keys.first(where: { $0.lowercased() == written.lowercased() }) else {
                throw ColumnMappingError(
                    .unknownKey, "'\(written)' is not one of \(Self.keys.joined(separator: ", "))")
            }
            guard names[key] == nil else { throw ColumnMappingError(.duplicateKey, "\(key) is given twice") }
            let name = Self.unquoted(entry[entry.index(after: equals)...].trimmingBlanks)
            guard !name.isEmpty else { throw ColumnMappingError(.emptyName, "\(key) names no column") }
            names[key] = name
        }
        let missing = Self.keys.filter { !$0.hasSuffix("strand") && names[$0] == nil }
        guard missing.isEmpty else {
            throw ColumnMappingError(
                .missingKey,
                "\(missing.joined(separator: ", ")) not given: Hgene, Hchr, Hbp, Tgene, Tchr and Tbp are needed")
        }
        guard (names["Hstrand"] == nil) == (names["Tstrand"] == nil) else {
            throw ColumnMappingError(.missingKey, "Hstrand and Tstrand are given together or not at all")
        }
        guard separator == "\t" || separator == "," else {
            throw ColumnMappingError(.malformedEntry, "the separator must be a tab or a comma")
        }
        func partner(_ side: String) -> Partner {
            Partner(
                gene: names[side + "gene"] ?? "", chromosome: names[side + "chr"] ?? "",
                position: names[side + "bp"] ?? "", strand: names[side + "strand"])
        }
        head = partner("H")
        tail = partner("T")
        self.zeroBased = zeroBased
        self.separator = separator
    }

    /// This mapping with the separator a file named `path` uses: a comma for `.csv` (or `.csv.gz`),
    /// else the mapping's own.
    public func separated(for path: String) -> ColumnMapping {
        let lowered = path.lowercased()
        guard lowered.hasSuffix(".csv") || lowered.hasSuffix(".csv.gz") else { return self }
        return ColumnMapping(head: head, tail: tail, zeroBased: zeroBased, separator: ",")
    }

    private init(head: Partner, tail: Partner, zeroBased: Bool, separator: Character) {
        self.head = head
        self.tail = tail
        self.zeroBased = zeroBased
        self.separator = separator
    }

    /// The entries of `text`, split at commas outside double quotes.
    /// - Throws: ``ColumnMappingError`` (`malformedEntry`) for a quote left open.
    private static func entries(of text: String) throws(ColumnMappingError) -> [Substring] {
        var entries: [Substring] = []
        var start = text.startIndex
        var quoted = false
        var opened = text.startIndex
        for i in text.indices {
            if text[i] == "\"" {
                if !quoted { opened = i }
                quoted.toggle()
            } else if text[i] == ",", !quoted {
                entries.append(text[start..<i])
                start = text.index(after: i)
            }
        }
        guard !quoted else {
            throw ColumnMappingError(
                .malformedEntry,
                "the double quote opened at '\(text[opened...].prefix(30))' is not closed (a name holding a comma "
                    + "is written \"Gene, 5'\", a quote inside it as \"\")")
        }
        entries.append(text[start...])
        return entries.filter { !$0.trimmingBlanks.isEmpty }
    }

    /// `name` without surrounding double quotes, `""` inside read as one quote.
    private static func unquoted(_ name: Substring) -> String {
        guard name.count >= 2, name.first == "\"", name.last == "\"" else { return String(name) }
        return name.dropFirst().dropLast().replacingOccurrences(of: "\"\"", with: "\"")
    }

    /// The format description ``ColumnsRowParser`` reads the table by.
    var description: FormatDescription {
        func columns(_ partner: Partner) -> PartnerColumns {
            PartnerColumns(
                gene: .column(partner.gene),
                site: .columns(
                    chromosome: partner.chromosome, position: partner.position,
                    strand: partner.strand.map(StrandField.column) ?? .none))
        }
        return FormatDescription(
            .columns, signature: [head, tail].flatMap { [$0.gene, $0.chromosome, $0.position] },
            detection: .never, separator: separator, quoted: separator == ",",
            partners: [columns(head), columns(tail)], zeroBased: zeroBased,
            versions: "any", convention: "the columns named by --columns; 1-based, or 0-based with --zero-based")
    }
}

/// A `--columns` value that cannot be used.
public struct ColumnMappingError: CodedError, Equatable {
    public enum Code: String, Sendable {
        /// An entry is not `KEY=NAME`, or the separator is neither tab nor comma.
        case malformedEntry
        /// A key is not one of Hgene Hchr Hbp Hstrand Tgene Tchr Tbp Tstrand.
        case unknownKey
        /// A key is given twice.
        case duplicateKey
        /// A needed key is missing, or only one of the two strands is given.
        case missingKey
        /// A key names an empty column.
        case emptyName
    }

    public let code: Code
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "--columns: \(message)" }
}
