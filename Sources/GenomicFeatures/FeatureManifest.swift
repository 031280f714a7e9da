import Foundation
import Genome

/// A set of genomic feature tracks, listed in a manifest TSV with the columns `name`, `category`
/// and `path` (a BED or BED.gz; relative paths are read from the manifest's folder), like the
/// original's `features_info.txt`. Any number of features and categories. A bgzip-compressed track
/// with a tabix index beside it (`PATH.tbi` or `.csi`) is read only where the windows lie, when
/// there are few enough windows for that to be cheaper than reading it whole.
public struct FeatureManifest: Sendable {
    public struct Feature: Sendable {
        public let name: String
        public let category: String
        public let path: String
        public let intervals: IntervalSet
        /// Whether the track was read by region through its tabix index.
        public var byRegion: Bool { intervals.readByRegion }
    }

    public let path: String
    public let features: [Feature]

    /// Reads the manifest and every track it lists: whole, or (tabix-indexed tracks, when `regions`
    /// is given) only the lines overlapping `regions`.
    /// - Throws: ``GenomeError`` naming `manifest:line` for a row without name, category and path, a
    ///   repeated name, or a track that cannot be read (its own error names its file and line).
    public init(path: String, overlapping regions: IntervalSet? = nil) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw GenomeError(.notFound, path: path, "cannot read the feature manifest")
        }
        let folder = (path as NSString).deletingLastPathComponent
        var features: [Feature] = []
        var columns: (name: Int, category: Int, path: Int) = (0, 1, 2)
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.allSatisfy(\.isWhitespace) || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let lower = fields.map { $0.lowercased() }
            if features.isEmpty, let n = lower.firstIndex(of: "name"), let c = lower.firstIndex(of: "category"), let p = lower.firstIndex(of: "path") {
                columns = (n, c, p)
                continue
            }
            guard fields.count > max(columns.name, columns.category, columns.path),
                  !fields[columns.name].isEmpty, !fields[columns.path].isEmpty
            else {
                throw GenomeError(.corrupt, path: path, line: i + 1, "expected tab-separated name, category and path (BED or BED.gz)")
            }
            let name = fields[columns.name]
            guard !features.contains(where: { $0.name == name }) else {
                throw GenomeError(.corrupt, path: path, line: i + 1, "feature '\(name)' is listed twice")
            }
            let file = fields[columns.path]
            let resolved = file.hasPrefix("/") || folder.isEmpty ? file : folder + "/" + file
            guard FileManager.default.fileExists(atPath: resolved) else {
                let relative = resolved == file ? "" : " (a relative path is read from the manifest's folder)"
                throw GenomeError(.notFound, path: path, line: i + 1, "track '\(name)': \(resolved) does not exist\(relative)")
            }
            let intervals = try regions.map { try IntervalSet(bedPath: resolved, overlapping: $0) } ?? IntervalSet(bedPaths: [resolved])
            features.append(Feature(name: name, category: fields[columns.category], path: resolved, intervals: intervals))
        }
        guard !features.isEmpty else { throw GenomeError(.corrupt, path: path, "lists no features") }
        self.path = path
        self.features = features
    }
}
