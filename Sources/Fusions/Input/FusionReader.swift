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
    private let parserType: any FusionRowParser.Type
    private let annotation: GeneAnnotation?
    private var pending: (bytes: [UInt8], line: Int)?

    /// The text of the row last returned by ``next()``, as read (for rejects files).
    public private(set) var currentText = ""

    /// Strands filled in from the annotation so far.
    public private(set) var strandsFromAnnotation = 0

    /// Opens `path` and reads up to its first row to settle the format.
    /// - Parameters:
    ///   - path: a file, or `-` for standard input.
    ///   - format: the format, or nil to detect it from the first line.
    ///   - annotation: genes whose strands fill those a caller leaves unknown (`.`); SQUID needs it.
    /// - Throws: ``TextFileError`` when the file cannot be opened or is binary; ``FusionInputError`` when
    ///   it is empty or its format
    ///   is not recognised (the message lists `--format` values).
    public init(path: String, format requested: FusionFormat? = nil, annotation: GeneAnnotation? = nil) throws {
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

        if let requested {
            guard let type = FormatRegistry.parserType(for: requested) else {
                throw FusionInputError(.unknownFormat, path: path, "format \(requested.rawValue) has no reader")
            }
            let fields = type.fields(of: text)
            parserType = type
            if type.recognises(header: fields) {
                header = fields.map(String.init)
                parser = try type.init(header: fields, path: path, annotation: annotation)
            } else if type.requiresHeader {
                throw FusionInputError(
                    .missingHeader,
                    path: path, line: firstLine,
                    "does not start with the header line of \(requested.displayName) output; is --format "
                        + "\(requested.rawValue) right?"
                )
            } else {
                header = nil
                parser =
                    requested == .fusionaiData
                    ? FusionAIRowParser(withWindows: true)
                    : try type.init(header: nil, path: path, annotation: annotation)
                pending = (first, firstLine)
            }
            // A FusionAI header says itself whether the rows carry windows, whichever of the two was asked for.
            format = Self.format(of: parser, else: requested)
            return
        }

        for (candidate, type) in FormatRegistry.headed {
            let fields = type.fields(of: text)
            if type.recognises(header: fields) {
                parserType = type
                header = fields.map(String.init)
                parser = try type.init(header: fields, path: path, annotation: annotation)
                format = Self.format(of: parser, else: candidate)
                return
            }
        }
        let sniffed = FusionAIRowParser.sniff(text.fields(separatedBy: FusionAIRowParser.separator))
        guard sniffed.matches else {
            let known = FusionFormat.allCases.map(\.rawValue).joined(separator: ", ")
            throw FusionInputError(
                .unknownFormat,
                path: path, line: firstLine,
                "format not recognised: the first line is neither a known caller's header nor a FusionAI row "
                    + "(Hgene Hchr Hbp Hstrand Tgene Tchr Tbp Tstrand). Name it with --format (\(known))"
            )
        }
        format = sniffed.withWindows ? .fusionaiData : .fusionai
        parserType = FusionAIRowParser.self
        header = nil
        parser = FusionAIRowParser(withWindows: sniffed.withWindows)
        pending = (first, firstLine)
    }

    /// The format the parser reads: FusionAI rows with or without windows, or `other`.
    private static func format(of parser: any FusionRowParser, else other: FusionFormat) -> FusionFormat {
        guard let fusionAI = parser as? FusionAIRowParser else { return other }
        return fusionAI.withWindows ? .fusionaiData : .fusionai
    }

    /// How far through the input reading is, 0...1; nil when unknown (standard input, pipes).
    public var fractionRead: Double? { lines.fractionRead }

    /// 1-based line number of the row last returned.
    public var lineNumber: Int { pending?.line ?? lines.lineNumber }

    /// 1-based number of the data row last returned, rejected rows counted: how `explain` names
    /// its outputs (`rowN_...`) and `features` and `report` find them again.
    public private(set) var dataRow = 0

    /// The next row's result, or nil at the end of the input.
    /// - Throws: ``TextFileError`` on a read error or binary data.
    public func next() throws -> RowResult? {
        let result: RowResult
        if let (bytes, line) = pending {
            pending = nil
            result = parse(bytes, line: line)
        } else {
            guard let bytes = try lines.nextBytes() else { return nil }
            result = parse(bytes, line: lines.lineNumber)
        }
        if case .ignored = result {} else { dataRow += 1 }
        return result
    }

    private func parse(_ bytes: [UInt8], line: Int) -> RowResult {
        currentText = String(decoding: bytes, as: UTF8.self)
        if bytes.isEmpty || bytes.first == UInt8(ascii: "#") || bytes.allSatisfy({ $0 == 32 || $0 == 9 }) {
            return .ignored
        }
        let fields = parserType.fields(of: currentText)
        if let header, fields.count == header.count, zip(fields, header).allSatisfy({ $0 == $1 }) {
            return .ignored  // a header repeated by `cat`-ing files together
        }
        let result = parser.parse(fields, line: line)
        guard let annotation, case .record(var record) = result else { return result }
        if record.head.fillStrand(from: annotation) { strandsFromAnnotation += 1 }
        if record.tail.fillStrand(from: annotation) { strandsFromAnnotation += 1 }
        return .record(record)
    }
}
