import Foundation
import Genome

/// Reads several fusion-call files one after the other, each detected on its own (or all read with
/// one `format` or `columns` mapping), and marks every record with its ``FusionRecord/source`` file
/// and ``FusionRecord/caller`` format: the base of cohort tables (`prepare a.tsv b.csv ...`).
///
/// Every file is opened, and its format settled, when the reader is made, so a file that cannot be
/// read stops the run before any output is written.
public final class MultiFusionReader: FusionRowSource {
    /// One reader per file, in the order given.
    public let readers: [FusionReader]
    private var index = 0

    /// Opens every one of `paths`.
    /// - Parameters:
    ///   - format: the format of every file, or nil to detect each one's.
    ///   - columns: a column mapping for every file (overrides `format`), its separator told by each
    ///     file's name (``ColumnMapping/separated(for:)``).
    ///   - annotation: as for ``FusionReader``.
    /// - Throws: the first file's error, as ``FusionReader/init(path:format:annotation:)`` throws it;
    ///   ``FusionInputError/Code/empty`` when `paths` is empty, `unreadable` for a file given twice.
    public init(
        paths: [String], format: FusionFormat? = nil, columns: ColumnMapping? = nil, annotation: GeneAnnotation? = nil
    ) throws {
        guard !paths.isEmpty else { throw FusionInputError(.empty, path: "-", "no input files given") }
        // A file read twice would count each of its calls twice (standard input the second time reads nothing).
        var seen: [String: String] = [:]
        for path in paths {
            var st = stat()
            let key = path == "-" ? "-" : stat(path, &st) == 0 ? "\(st.st_dev):\(st.st_ino)" : path
            if let first = seen[key] {
                throw FusionInputError(
                    .unreadable, path: path,
                    (first == path ? "is given twice" : "is the same file as \(first)") + ": give each input once")
            }
            seen[key] = path
        }
        readers = try paths.map { path in
            if let columns {
                return try FusionReader(path: path, columns: columns.separated(for: path), annotation: annotation)
            }
            return try FusionReader(path: path, format: format, annotation: annotation)
        }
    }

    public var first: FusionReader { readers[0] }

    public var isMultiple: Bool { readers.count > 1 }

    /// The files done plus the current one's fraction, over the number of files; nil when unknown.
    public var fractionRead: Double? {
        guard index < readers.count else { return 1 }
        return readers[index].fractionRead.map { (Double(index) + $0) / Double(readers.count) }
    }

    /// The next row's result from the current file, or the next file's; nil after the last file.
    /// - Throws: as ``FusionReader/next()``.
    public func next() throws -> RowResult? {
        while index < readers.count {
            if let result = try readers[index].next() { return Self.marked(result, by: readers[index]) }
            index += 1
        }
        return nil
    }

    public func read(into batch: inout RowBatch, limit: Int) throws -> Bool {
        while index < readers.count {
            if try readers[index].read(into: &batch, limit: limit, file: index) { return true }
            index += 1
        }
        return false
    }

    /// `row` parsed by its file's reader, a record marked with its file and caller.
    public func parse(_ row: RowBatch.Row, bytes: UnsafeBufferPointer<UInt8>) -> ParsedRow {
        let reader = readers[row.file]
        return reader.parse(row, bytes: bytes).map { Self.marked($0, by: reader) }
    }

    /// `result`, a record marked with `reader`'s file and format.
    private static func marked(_ result: RowResult, by reader: FusionReader) -> RowResult {
        guard case .record(var record) = result else { return result }
        record.source = reader.path
        record.caller = reader.format
        return .record(record)
    }
}
