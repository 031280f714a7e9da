/// Source rows read in one go, to be parsed on several threads: the lines' bytes back to back in
/// one buffer, with where each row is, its line number and the file it came from. One buffer per
/// batch, reused from batch to batch, instead of an array (and later a string) per row.
public struct RowBatch {
    /// One row: a line (`bytes[start..<end]`), or a multi-line record's lines (`block`).
    public struct Row {
        let start: Int
        let end: Int
        /// 1-based line (a multi-line record's first).
        public let line: Int
        /// Index of the row's file among the source's readers.
        public let file: Int
        /// A multi-line record's lines (FusionHunter); nil for a one-line row.
        let block: [String]?
    }

    public private(set) var bytes: [UInt8] = []
    public private(set) var rows: [Row] = []

    /// The lines' bytes a batch holds before it counts as full, whatever its row count: memory stays
    /// flat however long the rows are.
    static let byteLimit = 4 << 20

    public init() {
        bytes.reserveCapacity(Self.byteLimit + (1 << 16))
    }

    public var count: Int { rows.count }

    /// Whether the batch holds `limit` rows or ``byteLimit`` bytes.
    func isFull(_ limit: Int) -> Bool { rows.count >= limit || bytes.count >= Self.byteLimit }

    /// Empties the batch, keeping its storage for the next one.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        rows.removeAll(keepingCapacity: true)
    }

    mutating func append(line: UnsafeBufferPointer<UInt8>, number: Int, file: Int) {
        let start = bytes.count
        bytes.append(contentsOf: line)
        rows.append(Row(start: start, end: bytes.count, line: number, file: file, block: nil))
    }

    mutating func append(block: [String], line: Int, file: Int) {
        rows.append(Row(start: bytes.count, end: bytes.count, line: line, file: file, block: block))
    }

    /// `row` as read, for rejects files (a multi-line record's lines joined with ` | `).
    func text(of row: Row) -> String {
        if let block = row.block { return block.joined(separator: " | ") }
        return String(decoding: bytes[row.start..<row.end], as: UTF8.self)
    }
}
