import Genome
import Support

/// Reads fusion calls from a file (plain or gzip) or standard input (`-`), in any supported format.
///
/// The format is told from the header line unless given. Each call to ``next()`` returns one row's
/// ``RowResult``: a record, a rejection with its reason, or nothing for comments and blank lines.
/// With a gene annotation, strands a caller leaves unknown are filled from it, and SQUID's rows
/// (which need gene strands to tell the 5' partner) can be read at all.
public final class FusionReader {
    public let path: String
    public let format: FusionFormat
    /// The header line's columns, when the file has one.
    public let header: [String]?

    private let lines: TextLines
    private let parser: any FusionRowParser
    private let description: FormatDescription
    private let annotation: GeneAnnotation?
    private var pending: (bytes: [UInt8], line: Int)?
    /// What reading rows from their bytes needs (``appendPlainRow(_:fields:to:)``): the parser, and
    /// the header's first name (a row starting with it may be the header repeated). Nil when every
    /// row takes the String path. Set once, before any row is read.
    private var plain: PlainRows?

    /// A class, so that workers share it instead of copying the parser for every row.
    private final class PlainRows: Sendable {
        let parser: ColumnsRowParser
        let headerFirst: [UInt8]?

        init(parser: ColumnsRowParser, headerFirst: [UInt8]?) {
            self.parser = parser
            self.headerFirst = headerFirst
        }
    }

    /// The text of the row last returned by ``next()``, as read (for rejects files).
    public private(set) var currentText = ""

    /// What the annotation said of the strands of the rows read so far.
    public private(set) var strands = StrandCheck()

    /// Opens `path` and reads up to its first row to settle the format.
    /// - Parameters:
    ///   - path: a file, or `-` for standard input.
    ///   - format: the format, or nil to detect it from the first line.
    ///   - annotation: genes whose strands fill those a caller leaves unknown (`.`); SQUID needs it.
    /// - Throws: ``TextFileError`` when the file cannot be opened or is binary; ``FusionInputError`` when
    ///   it is empty or its format is not recognised (the message names the closest format, the
    ///   columns it lacked, and suggests `--format` or `--columns`).
    public convenience init(path: String, format requested: FusionFormat? = nil, annotation: GeneAnnotation? = nil)
        throws
    {
        try self.init(path: path, choice: requested.map(Choice.format) ?? .detect, annotation: annotation)
        settlePlainRows()
    }

    /// Opens `path`, a table of fusion calls in no known format, reading the columns `mapping` names.
    /// The format is ``FusionFormat/columns``.
    /// - Throws: as ``init(path:format:annotation:)``; ``FusionInputError/Code/missingColumn`` when the
    ///   header lacks a mapped column.
    public convenience init(path: String, columns mapping: ColumnMapping, annotation: GeneAnnotation? = nil) throws {
        try self.init(path: path, choice: .described(mapping.description), annotation: annotation)
        settlePlainRows()
    }

    /// Whether rows can be read from their bytes: one-line rows of a format ``ColumnsRowParser``
    /// reads, with no annotation to fill strands, and a header (if any) whose first name is ASCII, so
    /// that a repeated header is told by its bytes.
    private func settlePlainRows() {
        guard annotation == nil, description.block == nil, let parser = parser as? ColumnsRowParser,
            parser.readsPlainRows
        else { return }
        let first = header?.first.map { Array($0.utf8) }
        if let first, first.contains(where: { $0 >= 0x80 }) { return }
        plain = PlainRows(parser: parser, headerFirst: first)
    }

    /// How the format is settled.
    private enum Choice {
        case detect
        case format(FusionFormat)
        case described(FormatDescription)
    }

    private init(path: String, choice: Choice, annotation: GeneAnnotation?) throws {
        self.path = path
        self.annotation = annotation
        lines = try TextLines(path: path, kind: "text table of fusion calls")
        var first: [UInt8]?
        while let line = try lines.nextBytes() {
            if !line.allSatisfy({ $0 == 32 || $0 == 9 }) {
                first = line
                break
            }
        }
        guard let first else {
            throw FusionInputError(.empty, path: path, "is empty: no header and no fusion rows")
        }
        let firstLine = lines.lineNumber
        let text = String(decoding: first, as: UTF8.self)

        let wanted: FormatDescription
        switch choice {
        case .detect:
            let detected = try Self.detect(text, path: path, line: firstLine)
            description = detected.description
            if detected.headed {
                let fields = detected.description.fields(of: text)
                header = fields.map(String.init)
                parser = try detected.description.makeParser(header: fields, path: path, annotation: annotation)
                format = Self.format(of: parser, else: detected.format)
            } else {
                header = nil
                parser =
                    detected.format == .fusionaiData
                    ? FusionAIRowParser(withWindows: true)
                    : try detected.description.makeParser(header: nil, path: path, annotation: annotation)
                format = detected.format
                pending = (first, firstLine)
            }
            return
        case .format(let requested):
            guard let found = FormatRegistry.description(of: requested) else {
                throw FusionInputError(
                    .unknownFormat, path: path,
                    "format \(requested.rawValue) has no reader of its own: name the columns with --columns")
            }
            wanted = found
        case .described(let given):
            wanted = given
        }
        description = wanted
        let fields = wanted.fields(of: text)
        if case .described = choice {
            // A mapped table's first line is its header: a column it lacks is named as missing.
            header = fields.map(String.init)
            parser = try wanted.makeParser(header: fields, path: path, annotation: annotation)
        } else if wanted.recognises(header: fields) {
            header = fields.map(String.init)
            parser = try wanted.makeParser(header: fields, path: path, annotation: annotation)
        } else if wanted.requiresHeader {
            throw FusionInputError(
                .missingHeader,
                path: path, line: firstLine,
                Self.missingHeaderMessage(wanted, fields: fields))
        } else {
            header = nil
            if case .format(.fusionaiData) = choice {
                parser = FusionAIRowParser(withWindows: true)
            } else {
                parser = try wanted.makeParser(header: nil, path: path, annotation: annotation)
            }
            pending = (first, firstLine)
        }
        // A FusionAI header says itself whether the rows carry windows, whichever of the two was asked for.
        if case .format(let requested) = choice {
            format = Self.format(of: parser, else: requested)
        } else {
            format = wanted.format
        }
    }

    /// What detection found: the format, its description, and whether the first line is its header.
    private struct Detected {
        let format: FusionFormat
        let description: FormatDescription
        let headed: Bool
    }

    /// The format whose header, or failing that whose rows, `text` (the first line) is.
    private static func detect(_ text: String, path: String, line: Int) throws -> Detected {
        var header = HeaderLine(text)
        for candidate in FormatRegistry.headed {
            if candidate.recognises(header: &header) {
                return Detected(format: candidate.format, description: candidate, headed: true)
            }
        }
        let tabs = text.fields(separatedBy: UInt8(ascii: "\t"))
        let sniffed = FusionAIRowParser.sniff(tabs)
        if sniffed.matches, let fusionAI = FormatRegistry.description(of: .fusionai) {
            return Detected(
                format: sniffed.withWindows ? .fusionaiData : .fusionai, description: fusionAI, headed: false)
        }
        for candidate in FormatRegistry.all where candidate.matchesContent(header.split(as: candidate).fields) {
            return Detected(format: candidate.format, description: candidate, headed: false)
        }
        throw FusionInputError(.unknownFormat, path: path, line: line, unknownFormatMessage(text))
    }

    /// Why `text` is no format's first line: the closest headed format and the columns it lacked.
    private static func unknownFormatMessage(_ text: String) -> String {
        let known = FusionFormat.allCases.map(\.rawValue).joined(separator: ", ")
        var message =
            "format not recognised: the first line is neither a known caller's header nor a FusionAI row "
            + "(Hgene Hchr Hbp Hstrand Tgene Tchr Tbp Tstrand)."
        if let flaw = fusionAIRowFlaw(text.fields(separatedBy: UInt8(ascii: "\t"))) {
            message += " As a FusionAI row: \(flaw)" + (flaw.hasSuffix(".") ? "" : ".")
        } else if let closest = FormatRegistry.closest(toHeader: text) {
            message +=
                " Closest: \(closest.description.format.displayName) (--format \(closest.description.format.rawValue)),"
                + " whose header lacks \(closest.missing.joined(separator: ", "))."
        }
        return message
            + " Name the format with --format (\(known)), or name the columns with --columns "
            + "\"Hgene=NAME,Hchr=NAME,Hbp=NAME,Tgene=NAME,Tchr=NAME,Tbp=NAME[,Hstrand=NAME,Tstrand=NAME]\""
    }

    /// What is wrong with a first line shaped like a FusionAI row (8 or more fields, a position or a
    /// strand where a row has one), as one; nil for any other line.
    private static func fusionAIRowFlaw(_ fields: [Substring]) -> String? {
        guard fields.count >= 8,
            fields[2].genomePosition != nil || fields[6].genomePosition != nil || Strand(fields[3]) != nil
                || Strand(fields[7]) != nil,
            case .rejected(let rejection) = FusionAIRowParser(withWindows: false).parse(fields, line: 1)
        else { return nil }
        return rejection.detail
    }

    /// Why `fields` is not `description`'s header.
    private static func missingHeaderMessage(_ description: FormatDescription, fields: [Substring]) -> String {
        let missing = HeaderColumns(fields).missing(description.signature)
        return "does not start with the header line of \(description.format.displayName) output (it lacks "
            + "\(missing.joined(separator: ", "))); is --format \(description.format.rawValue) right?"
    }

    /// The format the parser reads: FusionAI rows with or without windows, or `other`.
    private static func format(of parser: any FusionRowParser, else other: FusionFormat) -> FusionFormat {
        guard let fusionAI = parser as? FusionAIRowParser else { return other }
        return fusionAI.withWindows ? .fusionaiData : .fusionai
    }

    /// How far through the input reading is, 0...1; nil when unknown (standard input, pipes).
    public var fractionRead: Double? { lines.fractionRead }

    /// 1-based line number of the row last returned (a multi-line record's first line).
    public var lineNumber: Int { blockLine ?? pending?.line ?? lines.lineNumber }

    /// The first line of the multi-line record last returned.
    private var blockLine: Int?

    /// 1-based number of the data row last returned, rejected rows counted: how `explain` names
    /// its outputs (`rowN_...`) and `features` and `report` find them again.
    public private(set) var dataRow = 0

    /// The next row's result, or nil at the end of the input.
    /// - Throws: ``TextFileError`` on a read error or binary data.
    public func next() throws -> RowResult? {
        let result: RowResult
        if !queued.isEmpty {
            result = queued.removeFirst()
        } else {
            guard let raw = try nextRaw() else { return nil }
            let parsed = parse(raw)
            currentText = raw.text
            strands.add(parsed.strands)
            queued = parsed.further
            result = parsed.result
        }
        if case .ignored = result {} else { dataRow += 1 }
        return result
    }

    /// Results of the row last read that ``next()`` has still to return (``ParsedRow/further``).
    private var queued: [RowResult] = []

    /// The next row as read, not yet parsed (a line, or a multi-line record's lines); nil at the end.
    /// Reading is sequential; ``parse(_:)`` may then run on other threads.
    /// - Throws: ``TextFileError`` on a read error or binary data.
    public func nextRaw() throws -> RawRow? {
        if let block = description.block {
            return try nextBlock(block).map { RawRow(bytes: [], block: $0.lines, line: $0.line) }
        }
        guard let line = try nextLine() else { return nil }
        return RawRow(bytes: line.bytes, block: nil, line: line.number)
    }

    /// `raw`'s result, with strands the caller left unknown filled from the annotation. Touches no
    /// reader state, so rows can be parsed on several threads at once.
    public func parse(_ raw: RawRow) -> ParsedRow {
        if let block = raw.block { return parse(block: block, line: raw.line) }
        return raw.bytes.withUnsafeBufferPointer { parse(line: $0, number: raw.line) }
    }

    /// A multi-line record's result (``parse(_:)``).
    func parse(block: [String], line: Int) -> ParsedRow {
        withAnnotatedStrands(block.map { $0[...] }, line: line)
    }

    /// One line's result (``parse(_:)``).
    func parse(line bytes: UnsafeBufferPointer<UInt8>, number: Int) -> ParsedRow {
        if bytes.isEmpty || bytes.first == UInt8(ascii: "#") || bytes.allSatisfy({ $0 == 32 || $0 == 9 }) {
            return ParsedRow(result: .ignored)
        }
        let fields = description.fields(of: String(decoding: bytes, as: UTF8.self))
        if let header, fields.count == header.count, zip(fields, header).allSatisfy({ $0 == $1 }) {
            return ParsedRow(result: .ignored)  // a header repeated by `cat`-ing files together
        }
        return withAnnotatedStrands(fields, line: number)
    }

    /// Appends the normalised columns of the line `bytes` to `out` (``ColumnsRowParser/appendPlainRow``)
    /// and returns true when it is a plain row, which ``parse(line:number:)`` would read into a record
    /// with the same columns. Returns false, leaving `out` as it was, for any other line (a comment,
    /// a blank line, a repeated header, a row with quotes, a rejection, non-ASCII values), which
    /// ``parse(line:number:)`` must then read. Touches no reader state. `fields` is scratch space.
    func appendPlainRow(_ bytes: UnsafeBufferPointer<UInt8>, fields: inout [Range<Int>], to out: inout [UInt8]) -> Bool
    {
        guard let plain, let first = bytes.first, first != UInt8(ascii: "#") else { return false }
        if description.quoted, bytes.contains(UInt8(ascii: "\"")) { return false }
        let line = LineBytes(bytes)
        let mark = out.count
        guard plain.parser.appendPlainRow(line, fields: &fields, to: &out) else { return false }
        if let header = plain.headerFirst, !line.isASCII(fields[0]) || line.equals(fields[0], header) {
            // Perhaps the header repeated (compared as Strings are, by canonical equivalence).
            out.removeSubrange(mark...)
            return false
        }
        return true
    }

    /// Reads rows into `batch` until it is full (``RowBatch/isFull(_:)``), marking them as file `file`'s.
    /// - Returns: false when the input ended first.
    /// - Throws: ``TextFileError`` on a read error or binary data.
    func read(into batch: inout RowBatch, limit: Int, file: Int) throws -> Bool {
        while !batch.isFull(limit) {
            if let block = description.block {
                guard let record = try nextBlock(block) else { return false }
                batch.append(block: record.lines, line: record.line, file: file)
            } else if let (bytes, line) = pending {
                pending = nil
                bytes.withUnsafeBufferPointer { batch.append(line: $0, number: line, file: file) }
            } else {
                guard let line = try lines.next() else { return false }
                let number = lines.lineNumber
                line.withMemoryRebound(to: UInt8.self) { batch.append(line: $0, number: number, file: file) }
            }
        }
        return true
    }

    /// One line of the input and its 1-based number.
    private struct Line {
        let bytes: [UInt8]
        let number: Int
    }

    /// The line held back while settling the format, else the next one; nil at the end.
    private func nextLine() throws -> Line? {
        if let (bytes, line) = pending {
            pending = nil
            return Line(bytes: bytes, number: line)
        }
        guard let bytes = try lines.nextBytes() else { return nil }
        return Line(bytes: bytes, number: lines.lineNumber)
    }

    /// The next record of a format whose records span several lines: the lines from `block.start`
    /// through `block.end`, or up to the next start or the end of the input (which the parser rejects
    /// as truncated). Blank lines and other `#` lines between records are skipped; any other stray
    /// line is a record of its own, for the parser to reject.
    private func nextBlock(_ block: FormatDescription.Block) throws -> (lines: [String], line: Int)? {
        var record: [String] = []
        var first = 0
        while let line = try nextLine() {
            let text = String(decoding: line.bytes, as: UTF8.self)
            guard !record.isEmpty else {
                if line.bytes.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
                if text.hasPrefix("#"), !text.hasPrefix(block.start) { continue }
                first = line.number
                record.append(text)
                if text.hasPrefix(block.start) { continue }
                break
            }
            if text.hasPrefix(block.start) {
                pending = (line.bytes, line.number)
                break
            }
            record.append(text)
            if text.hasPrefix(block.end) { break }
        }
        guard !record.isEmpty else { return nil }
        blockLine = first
        return (record, first)
    }

    /// The row's results, with the strands its caller left unknown filled from the annotation, if any.
    private func withAnnotatedStrands(_ fields: [Substring], line: Int) -> ParsedRow {
        var strands = StrandCheck()
        func annotated(_ result: RowResult) -> RowResult {
            guard let annotation, case .record(var record) = result else { return result }
            record.head.check(against: annotation, line: record.line, &strands)
            record.tail.check(against: annotation, line: record.line, &strands)
            return .record(record)
        }
        let first = annotated(parser.parse(fields, line: line))
        let further = parser.furtherResults(fields, line: line).map(annotated)
        return ParsedRow(result: first, further: further, strands: strands)
    }
}

/// One source row as read and not yet parsed: a line, or the lines of a multi-line record.
public struct RawRow: Sendable {
    fileprivate let bytes: [UInt8]
    fileprivate let block: [String]?
    /// 1-based line (a multi-line record's first).
    public let line: Int

    /// The row as read, for rejects files (a multi-line record's lines joined with ` | `).
    public var text: String { block?.joined(separator: " | ") ?? String(decoding: bytes, as: UTF8.self) }
}

/// What parsing a ``RawRow`` gave, and what the annotation said of its strands.
public struct ParsedRow: Sendable {
    public let result: RowResult
    /// The row's further records (PRADA's other `Junction` entries), each counted as a row.
    public let further: [RowResult]
    /// What the annotation said of the row's strands.
    public let strands: StrandCheck

    init(result: RowResult, further: [RowResult] = [], strands: StrandCheck = StrandCheck()) {
        self.result = result
        self.further = further
        self.strands = strands
    }

    /// This row's results with `transform` applied to each.
    func map(_ transform: (RowResult) -> RowResult) -> ParsedRow {
        ParsedRow(result: transform(result), further: further.map(transform), strands: strands)
    }
}
