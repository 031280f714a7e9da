import Foundation
import Results

/// Reads back the `ID.fis.tsv` that `fusionai explain` writes.
public enum FISTableFile {
    /// The scores of one explained fusion.
    public struct Scores: Sendable {
        /// The window positions the explained model saw (0-based, the same in both windows: all
        /// 10,000, or the central part for a model with a shorter input).
        public let view: Range<Int>
        /// The score of each position in `view`, head window then tail window.
        public let scores: [Float]
    }

    /// - Returns: nil when `folder` holds no such file.
    /// - Throws: ``ResultsFileError`` for a file that cannot be read or lacks a column,
    ///   ``ExplainFileError`` naming the line of a malformed row.
    public static func read(folder: String, id: String) throws -> Scores? {
        let path = ExplainFolder(path: folder).scoreTable(id)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let table = try FISTable.schema.read(path)
        let positionColumn = try table.index(of: FISTable.windowPosition)
        let scoreColumn = try table.index(of: FISTable.score)
        var first = 0
        var scores: [Float] = []
        scores.reserveCapacity(table.rows.count)
        for (n, row) in table.rows.enumerated() {
            guard row.fields.count == table.header.count, let position = Int(row.fields[positionColumn]), position >= 1,
                let score = Float(row.fields[scoreColumn])
            else {
                throw ExplainFileError(
                    .malformedRow, path: path, line: row.line,
                    "expected \(table.header.count) columns with a window position and a score; "
                        + "rerun `fusionai explain`")
            }
            if n == 0 { first = position - 1 }
            scores.append(score)
        }
        guard !scores.isEmpty, scores.count % 2 == 0 else {
            throw ExplainFileError(
                .unpairedWindows, path: path, line: table.rows.last?.line ?? 1,
                "expected as many tail rows as head rows; rerun `fusionai explain`")
        }
        return Scores(view: first..<(first + scores.count / 2), scores: scores)
    }
}
