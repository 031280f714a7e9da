/// What ``PrepareJob`` reads rows from: one file (``FusionReader``) or several (``MultiFusionReader``).
/// Rows are read in batches one after the other, and may then be parsed on several threads.
public protocol FusionRowSource: AnyObject {
    /// Reads rows into `batch` until it holds `limit` (or its most bytes, ``RowBatch/isFull(_:)``).
    /// - Returns: false when the input ended first.
    /// - Throws: ``TextFileError`` on a read error or binary data.
    func read(into batch: inout RowBatch, limit: Int) throws -> Bool
    /// `row` of a batch whose bytes are `bytes`, parsed (safe to call from several threads at once).
    func parse(_ row: RowBatch.Row, bytes: UnsafeBufferPointer<UInt8>) -> ParsedRow
    /// The file readers, in the order ``RowBatch/Row/file`` numbers them.
    var readers: [FusionReader] { get }
    /// The first file's reader (its format names the run's).
    var first: FusionReader { get }
    /// Whether rows come from several files, so outputs name each row's file.
    var isMultiple: Bool { get }
    /// How far through the input reading is, 0...1; nil when unknown.
    var fractionRead: Double? { get }
}

extension FusionReader: FusionRowSource {
    public func read(into batch: inout RowBatch, limit: Int) throws -> Bool {
        try read(into: &batch, limit: limit, file: 0)
    }

    public func parse(_ row: RowBatch.Row, bytes: UnsafeBufferPointer<UInt8>) -> ParsedRow {
        if let block = row.block { return parse(block: block, line: row.line) }
        return parse(line: UnsafeBufferPointer(rebasing: bytes[row.start..<row.end]), number: row.line)
    }

    public var readers: [FusionReader] { [self] }
    public var first: FusionReader { self }
    public var isMultiple: Bool { false }
}
