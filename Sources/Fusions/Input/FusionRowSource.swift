/// What ``PrepareJob`` reads rows from: one file (``FusionReader``) or several (``MultiFusionReader``).
/// Rows are read one after the other with ``nextRow()`` and may then be parsed on several threads.
public protocol FusionRowSource: AnyObject {
    /// The next row as read, with the file reader it came from; nil at the end of the input.
    /// - Throws: ``TextFileError`` on a read error or binary data.
    func nextRow() throws -> SourceRow?
    /// `row` parsed (safe to call from several threads at once).
    func parse(_ row: SourceRow) -> ParsedRow
    /// The first file's reader (its format names the run's).
    var first: FusionReader { get }
    /// Whether rows come from several files, so outputs name each row's file.
    var isMultiple: Bool { get }
    /// How far through the input reading is, 0...1; nil when unknown.
    var fractionRead: Double? { get }
}

/// A row as read and the file reader it came from (a batch of rows may span two files).
public struct SourceRow {
    public let raw: RawRow
    public let reader: FusionReader
}

extension FusionReader: FusionRowSource {
    public func nextRow() throws -> SourceRow? {
        try nextRaw().map { SourceRow(raw: $0, reader: self) }
    }

    public func parse(_ row: SourceRow) -> ParsedRow { parse(row.raw) }

    public var first: FusionReader { self }
    public var isMultiple: Bool { false }
}
