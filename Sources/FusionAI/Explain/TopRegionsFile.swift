import Foundation
import Genome
import Results
import Support

/// Reads back the `ID.top_regions.tsv` that `fusionai explain` writes, for feature analysis.
public enum TopRegionsFile {
    /// The regions of one top fraction (its label as written, e.g. `top1%`), as 1-based genome ranges
    /// with the window they lie in (part 0 head, 1 tail: the two windows may overlap in the genome).
    /// - Returns: nil when `folder` holds no such file (the fusion was not explained).
    /// - Throws: ``ResultsFileError`` for a file that cannot be read or lacks a column,
    ///   ``ExplainFileError`` naming the file and line of a malformed row.
    public static func regions(folder: String, id: String, fraction: String) throws -> [(
        part: Int, chromosome: String, range: ClosedRange<Int>
    )]? {
        let path = ExplainFolder(path: folder).topRegions(id)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let table = try TopRegionsTable.schema.read(path)
        let columns = try [
            TopRegionsTable.fraction, TopRegionsTable.part, TopRegionsTable.chromosome, TopRegionsTable.start,
            TopRegionsTable.end,
        ].map(table.index)
        var regions: [(part: Int, chromosome: String, range: ClosedRange<Int>)] = []
        var labels = Set<String>()
        for row in table.rows {
            guard row.fields.count > columns.max() ?? 0 else { throw malformed(path, row.line) }
            let f = columns.map { row.fields[$0] }
            guard let part = ["head", "tail"].firstIndex(of: f[1]), let start = Int(f[3]), let end = Int(f[4]),
                start >= 0, end > start, end <= ChromosomeInfo.largestPosition
            else { throw malformed(path, row.line) }
            if f[0] == fraction { regions.append((part, f[2], (start + 1)...end)) }
            labels.insert(f[0])
        }
        // A label explain never wrote would find no region in any fusion, silently.
        guard regions.isEmpty, !labels.isEmpty, !labels.contains(fraction) else { return regions }
        throw ExplainFileError(
            .unknownFraction, path: path,
            "has no '\(fraction)' regions; it has \(labels.sorted().joined(separator: ", ")): pass one of them "
                + "(features --top), or rerun explain with that fraction (explain --top)")
    }

    private static func malformed(_ path: String, _ line: Int) -> ExplainFileError {
        ExplainFileError(
            .malformedRow, path: path, line: line,
            "expected fraction, part (head or tail), chrom, 0-based start and end; rerun `fusionai explain`")
    }
}

/// A malformed explain output, with its file and line.
public typealias ExplainFileError = FileError<ExplainFileErrorCode>

/// What went wrong, in categories a caller can branch on.
public enum ExplainFileErrorCode: String, Sendable {
    /// A row without the values its columns should hold.
    case malformedRow
    /// A score table whose head and tail windows differ in length.
    case unpairedWindows
    /// The top fraction asked for is not among those the file lists.
    case unknownFraction
    /// Regions outside the windows of the input row the fusion's ID names: the folder was explained
    /// from another input.
    case otherInput
}
