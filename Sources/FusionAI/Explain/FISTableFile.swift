import Foundation

/// Reads back the `ID.fis.tsv` that `fusionai explain` writes.
public enum FISTableFile {
    /// The window positions the explained model saw (0-based, the same in both windows: all 10,000,
    /// or the central part for a model with a shorter input), and the score of each, head window
    /// then tail window.
    /// - Returns: nil when `folder` holds no such file.
    /// - Throws: ``ExplainFileError`` naming the line of a malformed row.
    public static func read(folder: String, id: String) throws -> (view: Range<Int>, scores: [Float])? {
        let path = folder + "/" + id + ".fis.tsv"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ExplainFileError(path: path, line: 0, "cannot read the file")
        }
        let lines = text.split(separator: "\n")
        guard
            lines.first?.split(separator: "\t").map(String.init) == [
                "index", "part", "window_position", "chrom", "position", "base", "fis",
            ]
        else {
            throw ExplainFileError(
                path: path, line: 1,
                "expected the header index, part, window_position, chrom, position, base, fis; rerun `fusionai explain`"
            )
        }
        var first = 0
        var scores: [Float] = []
        scores.reserveCapacity(lines.count - 1)
        for (n, line) in lines.enumerated().dropFirst() {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard f.count == 7, let position = Int(f[2]), position >= 1, let score = Float(f[6]) else {
                throw ExplainFileError(
                    path: path, line: n + 1,
                    "expected 7 columns with a window position and a score; rerun `fusionai explain`")
            }
            if n == 1 { first = position - 1 }
            scores.append(score)
        }
        guard !scores.isEmpty, scores.count % 2 == 0 else {
            throw ExplainFileError(
                path: path, line: lines.count, "expected as many tail rows as head rows; rerun `fusionai explain`")
        }
        return (first..<(first + scores.count / 2), scores)
    }
}
