import Foundation

/// Reads back the `ID.fis.tsv` that `fusionai explain` writes.
public enum FISTableFile {
    /// The window positions the explained model saw (0-based, the same in both windows): all
    /// 10,000, or the central part for a model with a shorter input.
    /// - Returns: nil when `folder` holds no such file.
    /// - Throws: ``ExplainFileError`` when the table is empty or its first row malformed.
    public static func view(folder: String, id: String) throws -> Range<Int>? {
        let path = folder + "/" + id + ".fis.tsv"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ExplainFileError(path: path, line: 0, "cannot read the file") }
        let lines = text.split(separator: "\n")
        // Columns: index, part, window_position (1-based), ...; head rows then as many tail rows.
        guard lines.count >= 3, lines[0].hasPrefix("index\tpart\twindow_position"),
              let first = lines[1].split(separator: "\t").dropFirst(2).first.flatMap({ Int($0) }), first >= 1
        else {
            throw ExplainFileError(path: path, line: 2, "expected index, part, window_position, ... rows; rerun `fusionai explain`")
        }
        return (first - 1)..<(first - 1 + (lines.count - 1) / 2)
    }
}
