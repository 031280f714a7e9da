import Genome

/// Where a partner's strand is written.
enum StrandField: Sendable, Equatable {
    /// Nowhere: the record's strand stays `.` until a gene annotation fills it.
    case none
    /// A column of `+`, `-` or `.`.
    case column(String)
    /// A column of `1` or `-1` (PRADA).
    case signed(String)
    /// One character of a column holding both partners' strands, such as `+-` (FusionMap, MapSplice).
    case character(String, Int)
    /// A `+`/`-` column that may be absent (JAFFA before its strand columns); absent means `.`.
    case optionalColumn(String)
}

/// Where a partner's gene name is written.
enum GeneField: Sendable, Equatable {
    /// A column of its own.
    case column(String)
    /// One name of a column written `GENE1<separator>GENE2` (DRAGEN `--`, JAFFA `:`); index 0 or 1.
    case pair(String, separator: String, index: Int)
}

/// Where a partner's chromosome and position (and strand) are written.
enum SiteField: Sendable, Equatable {
    /// Columns of their own.
    case columns(chromosome: String, position: String, strand: StrandField)
    /// One column written `chr:pos:strand` (STAR-Fusion, DRAGEN, FusionCatcher).
    case joinedWithStrand(String)
}

/// One partner's columns, found by name in the header.
struct PartnerColumns: Sendable, Equatable {
    let gene: GeneField
    let site: SiteField

    /// The header columns this partner reads, in the order they are checked.
    var names: [String] {
        var names: [String] = []
        switch gene {
        case .column(let name), .pair(let name, _, _): names.append(name)
        }
        switch site {
        case .joinedWithStrand(let name): names.append(name)
        case .columns(let chromosome, let position, let strand):
            names += [chromosome, position]
            switch strand {
            case .column(let name), .signed(let name), .character(let name, _): names.append(name)
            case .none, .optionalColumn: break
            }
        }
        return names
    }
}

/// How a gene name is cleaned before use.
enum GeneNaming: Sendable, Equatable {
    /// As written.
    case asWritten
    /// `SYMBOL^ENSG...` -> `SYMBOL` (the ID when the symbol is empty): STAR-Fusion's family.
    case symbolBeforeCaret
    /// The first of a `,`- or `;`-separated list (`FLRT1;RP11-21A7A.3`, `ENO1,`).
    case firstOfList
}

/// One caller's output format, described as data: how its header is told, which columns hold each
/// partner's gene, chromosome, position and strand, the coordinate base, and how the partner order
/// is given. Formats whose rows need code (`chr:pos` fields of other shapes, BEDPE ends, unordered
/// pairs) name their parser; the rest are read by ``ColumnsRowParser`` from ``partners`` alone.
struct FormatDescription: Sendable {
    /// How a file of this format is recognised from its first line.
    enum Detection: Sendable {
        /// A header holding every one of ``FormatDescription/signature``, wherever they stand.
        case header
        /// No header: a content test of the first row (TopHat-Fusion, MapSplice, LongGF).
        case content(@Sendable ([Substring]) -> Bool)
        /// Only when asked for (`--format`, a column mapping).
        case never
    }

    /// How the 5' partner is told.
    enum Order: Sendable, Equatable {
        /// The first partner listed (``partners``[0]) is the 5' one.
        case fivePrimeFirst
        /// The file lists the pair unordered; the parser derives 5' and 3' (deFuse's family, InFusion,
        /// LongGF), or rejects the row when it cannot.
        case derived
    }

    /// The lines that open and close a record of formats whose records span several lines
    /// (FusionHunter's blocks). Their lines start with `#`, so they are not read as comments.
    struct Block: Sendable {
        /// The prefix of a record's first line.
        let start: String
        /// The prefix of its last line.
        let end: String
    }

    let format: FusionFormat
    /// Header columns that tell this format from the others (detection and the closest-format hint).
    let signature: [String]
    let detection: Detection
    /// Column separator.
    let separator: UInt8
    /// Whether text fields may be double-quoted (R's `write.csv`).
    let quoted: Bool
    /// 5' then 3' partner columns, for formats ``ColumnsRowParser`` reads; empty where code reads the row.
    let partners: [PartnerColumns]
    /// Added to a position to make it 1-based (1 for 0-based files).
    let positionOffset: Int
    let order: Order
    let geneNaming: GeneNaming
    /// Whether text in a position column means the caller could not place the breakpoint (EricScript).
    let textPositionIsUnplaced: Bool
    /// Column names for a headerless format's rows (TopHat-Fusion), so they too are read by name.
    let impliedHeader: [String]
    /// For formats whose records span several lines, how a record starts and ends; nil for one
    /// record per line. The parser then sees a record's lines as its fields.
    let block: Block?
    /// Reads the rows.
    let parser: any FusionRowParser.Type
    /// The caller versions whose output was checked, for the README's table.
    let versions: String
    /// The columns used and the position convention, in words (README).
    let convention: String

    init(
        _ format: FusionFormat, signature: [String], detection: Detection = .header,
        separator: Character = "\t", quoted: Bool = false, partners: [PartnerColumns] = [],
        zeroBased: Bool = false, order: Order = .fivePrimeFirst, geneNaming: GeneNaming = .asWritten,
        textPositionIsUnplaced: Bool = false, impliedHeader: [String] = [], block: Block? = nil,
        parser: any FusionRowParser.Type = ColumnsRowParser.self,
        versions: String, convention: String
    ) {
        self.format = format
        self.signature = signature
        self.detection = detection
        self.separator = separator.asciiValue ?? UInt8(ascii: "\t")
        self.quoted = quoted
        self.partners = partners
        positionOffset = zeroBased ? 1 : 0
        self.order = order
        self.geneNaming = geneNaming
        self.textPositionIsUnplaced = textPositionIsUnplaced
        self.impliedHeader = impliedHeader
        self.block = block
        self.parser = parser
        self.versions = versions
        self.convention = convention
    }

    /// Whether files of this format start with a header line.
    var requiresHeader: Bool {
        if case .header = detection { return true }
        return false
    }

    /// Splits one line into columns.
    func fields(of line: String) -> [Substring] {
        quoted ? line.quotedFields(separatedBy: separator) : line.fields(separatedBy: separator)
    }

    /// Whether `fields`, a file's first line, is this format's header.
    func recognises(header fields: [Substring]) -> Bool {
        recognises(fields: fields) { HeaderColumns(fields) }
    }

    /// Whether `line` is this format's header, from its split kept in `line` for the next format.
    func recognises(header line: inout HeaderLine) -> Bool {
        let split = line.split(as: self)
        return recognises(fields: split.fields) { split.columns }
    }

    /// Whether `fields` is this format's header; `columns` indexes them when the signature is needed.
    private func recognises(fields: [Substring], columns: () -> HeaderColumns) -> Bool {
        if format == .fusionai { return FusionAIRowParser.recognises(header: fields) }
        guard requiresHeader else { return false }
        return columns().contains(all: signature)
    }

    /// Whether `fields`, a headerless file's first row, has this format's shape.
    func matchesContent(_ fields: [Substring]) -> Bool {
        if case .content(let test) = detection { return test(fields) }
        return false
    }

    /// A parser for a file with `header` (nil when it has none).
    func makeParser(header: [Substring]?, path: String, annotation: GeneAnnotation?) throws -> any FusionRowParser {
        let columns =
            header.map(HeaderColumns.init)
            ?? (impliedHeader.isEmpty ? nil : HeaderColumns(impliedHeader.map { $0[...] }))
        return try parser.init(self, header: columns, path: path, annotation: annotation)
    }

    /// The header columns this format needs: the partners' columns, else the signature.
    var requiredColumns: [String] {
        partners.isEmpty ? signature : partners.flatMap(\.names)
    }

    /// `name` cleaned by ``geneNaming``.
    func geneName(_ name: Substring) -> Substring {
        switch geneNaming {
        case .asWritten:
            return name
        case .symbolBeforeCaret:
            // A byte search: finding a Character walks grapheme clusters, and this runs on every row.
            guard let caret = name.utf8.firstIndex(of: UInt8(ascii: "^")) else { return name }
            let symbol = name[..<caret]
            return symbol.isEmpty ? name[name.index(after: caret)...] : symbol
        case .firstOfList:
            return name.split(whereSeparator: { $0 == "," || $0 == ";" }).first?.trimmingBlanks ?? name
        }
    }
}
