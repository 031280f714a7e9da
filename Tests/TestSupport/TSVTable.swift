import Foundation
import XCTest

/// A tab-separated table with a header line, its cells looked up by column name, so tests say
/// `row["fusion_positive_prob"]` instead of `fields[12]` and survive a column added or moved.
public struct TSVTable {
    /// The header's names, in file order (a leading `#` is dropped).
    public let columns: [String]
    /// The data rows.
    public let rows: [Row]

    /// One data row.
    public struct Row {
        /// The cells, in file order.
        public let fields: [String]
        fileprivate let index: [String: Int]

        /// The cell under `column`; a missing column fails the test and gives "".
        public subscript(column: String, file file: StaticString = #filePath, line line: UInt = #line) -> String {
            guard let i = index[column], i < fields.count else {
                XCTFail("no column \(column) in \(index.keys.sorted())", file: file, line: line)
                return ""
            }
            return fields[i]
        }

        /// The cell under `column` as a number (nil when absent or not a number).
        public func double(_ column: String) -> Double? {
            index[column].flatMap { $0 < fields.count ? Double(fields[$0]) : nil }
        }
    }

    /// Parses `text`: the first non-empty line is the header; `#` comment lines after it are skipped.
    public init(_ text: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard !lines.isEmpty else {
            columns = []
            rows = []
            return
        }
        var header = lines.removeFirst()
        if header.hasPrefix("#") { header.removeFirst() }
        columns = header.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        let index = Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        rows = lines.filter { !$0.hasPrefix("#") }.map {
            Row(fields: $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init), index: index)
        }
    }

    /// Reads the table at `path` (plain text).
    public init(path: String) throws {
        self.init(try String(contentsOfFile: path, encoding: .utf8))
    }

    /// Every row's cell under `column`.
    public func column(_ name: String, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        rows.map { $0[name, file: file, line: line] }
    }
}
