import Genome

/// What parsing one source row gives.
public enum RowResult: Sendable {
    case record(FusionRecord)
    case rejected(Rejection)
    /// A comment or repeated header: not a row.
    case ignored
}

/// Turns one caller's rows into ``FusionRecord``s.
///
/// A parser is made from the file's header (nil for formats or files without one) and then sees
/// every following line split by ``fields(of:)``. It never throws for a row: a row it cannot use is
/// a ``Rejection`` with the reason, so a batch run can count it and go on.
protocol FusionRowParser: Sendable {
    /// The column separator.
    static var separator: UInt8 { get }
    /// Splits one line into columns (on ``separator`` unless the format quotes fields).
    static func fields(of line: String) -> [Substring]
    /// Whether `firstLine` (split by ``fields(of:)``) is this format's header.
    static func recognises(header firstLine: [Substring]) -> Bool
    /// Whether this format's files carry a header line (a first line it does not recognise is then an error).
    static var requiresHeader: Bool { get }
    /// Makes a parser for a file whose header is `header` (nil when the file has none).
    /// - Throws: ``FusionInputError`` when required columns are missing.
    init(header: [Substring]?, path: String) throws
    /// Makes a parser that may consult a gene annotation (SQUID needs gene strands to tell its 5'
    /// partner); formats that do not need one ignore it.
    init(header: [Substring]?, path: String, annotation: GeneAnnotation?) throws
    /// Parses the row on 1-based `line`.
    func parse(_ fields: [Substring], line: Int) -> RowResult
}

extension FusionRowParser {
    static func fields(of line: String) -> [Substring] {
        line.fields(separatedBy: separator)
    }

    init(header: [Substring]?, path: String, annotation: GeneAnnotation?) throws {
        try self.init(header: header, path: path)
    }
}
