import Foundation
import Genome

/// Reads back the `ID.top_regions.tsv` that `fusionai explain` writes, for feature analysis.
public enum TopRegionsFile {
    /// The regions of one top fraction (its label as written, e.g. `top1%`), as 1-based genome ranges
    /// with the window they lie in (part 0 head, 1 tail: the two windows may overlap in the genome).
    /// - Returns: nil when `folder` holds no such file (the fusion was not explained).
    /// - Throws: ``ExplainFileError`` naming the file and line of a malformed row.
    public static func regions(folder: String, id: String, fraction: String) throws -> [(
        part: Int, chromosome: String, range: ClosedRange<Int>
    )]? {
        let path = folder + "/" + id + ".top_regions.tsv"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ExplainFileError(path: path, line: 0, "cannot read the file")
        }
        var regions: [(part: Int, chromosome: String, range: ClosedRange<Int>)] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where n > 0 && !line.isEmpty {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard f.count >= 5, let part = ["head", "tail"].firstIndex(of: String(f[1])),
                let start = Int(f[3]), let end = Int(f[4]), start >= 0, end > start,
                end <= ChromosomeInfo.largestPosition
            else {
                throw ExplainFileError(
                    path: path, line: n + 1,
                    "expected fraction, part (head or tail), chrom, 0-based start and end; rerun `fusionai explain`")
            }
            if f[0] == fraction { regions.append((part, String(f[2]), (start + 1)...end)) }
        }
        return regions
    }
}

/// A malformed explain output, with its file and line.
public struct ExplainFileError: Error, CustomStringConvertible {
    public let path: String, line: Int, message: String
    init(path: String, line: Int, _ message: String) {
        self.path = path
        self.line = line
        self.message = message
    }
    public var description: String { line > 0 ? "\(path):\(line): \(message)" : "\(path): \(message)" }
}
