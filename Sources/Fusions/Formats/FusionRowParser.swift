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
/// A parser is made from its ``FormatDescription`` and the file's header (nil for files without
/// one) and then sees every following line split by ``FormatDescription/fields(of:)``. It never
/// throws for a row: a row it cannot use is a ``Rejection`` with the reason, so a batch run can
/// count it and go on.
protocol FusionRowParser: Sendable {
    /// Makes a parser for a file of `description`'s format whose header is `header`; `annotation`
    /// gives gene strands to formats that need them to tell the 5' partner (SQUID, Oncofuse).
    /// - Throws: ``FusionInputError`` when required columns are missing.
    init(_ description: FormatDescription, header: HeaderColumns?, path: String, annotation: GeneAnnotation?) throws
    /// Parses the row on 1-based `line`.
    func parse(_ fields: [Substring], line: Int) -> RowResult
    /// The row's records beyond the first, for formats whose row can hold several calls (PRADA's
    /// `Junction` entries); each counts as a row of its own. Empty for the others.
    func furtherResults(_ fields: [Substring], line: Int) -> [RowResult]
}

extension FusionRowParser {
    func furtherResults(_ fields: [Substring], line: Int) -> [RowResult] { [] }
}
