import Foundation
import Genome
import Support

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

    /// One row of a manifest: the track's name, category, and path (resolved against the
    /// manifest's folder).
    public struct Entry: Sendable {
        public let name: String
        public let category: String
        public let path: String
    }

    /// The rows of the manifest at `path`, without reading any track.
    /// - Throws: ``GenomeError`` naming `manifest:line` for a row without name, category and path, a
    ///   repeated name, or a track file that does not exist; or when the manifest lists none.
    public static func entries(path: String) throws -> [Entry] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw GenomeError(.notFound, path: path, "cannot read the feature manifest: no such file")
        }
        let text: String
        do {
            // A manifest names tracks, one a line: 16 MiB is some 100,000 of them.
            text = try SmallTextFile.read(path, kind: "feature manifest", maximumBytes: 16 << 20)
        } catch {
            throw GenomeError(
                .unreadable, path: path, "cannot read the feature manifest (\(SystemReason.of(error)))")
        }
        let folder = PathNames.folder(of: path)
        var entries: [Entry] = []
        var columns: (name: Int, category: Int, path: Int) = (0, 1, 2)
        for (i, raw) in text.lines().enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.allSatisfy(\.isWhitespace) || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let lower = fields.map { $0.lowercased() }
            if entries.isEmpty, let n = lower.firstIndex(of: "name"), let c = lower.firstIndex(of: "category"),
                let p = lower.firstIndex(of: "path")
            {
                columns = (n, c, p)
                continue
            }
            guard fields.count > max(columns.name, columns.category, columns.path),
                !fields[columns.name].isEmpty, !fields[columns.path].isEmpty
            else {
                throw GenomeError(
                    .corrupt, path: path, line: i + 1, "expected tab-separated name, category and path (BED or BED.gz)")
            }
            let name = fields[columns.name]
            guard !entries.contains(where: { $0.name == name }) else {
                throw GenomeError(.corrupt, path: path, line: i + 1, "feature '\(name)' is listed twice")
            }
            let file = fields[columns.path]
            let resolved = file.hasPrefix("/") || folder.isEmpty ? file : folder + "/" + file
            guard FileManager.default.fileExists(atPath: resolved) else {
                let relative = resolved == file ? "" : " (a relative path is read from the manifest's folder)"
                throw GenomeError(
                    .notFound, path: path, line: i + 1, "track '\(name)': \(resolved) does not exist\(relative)")
            }
            entries.append(Entry(name: name, category: fields[columns.category], path: resolved))
        }
        guard !entries.isEmpty else { throw GenomeError(.corrupt, path: path, "lists no features") }
        return entries
    }

    /// Reads the manifest and every track it lists: whole, or (tabix-indexed tracks, when `regions`
    /// is given) only the lines overlapping `regions` when that is cheaper.
    /// - Throws: ``GenomeError`` as ``entries(path:)`` does, or for a track that cannot be read
    ///   (its own error names its file and line).
    public init(path: String, overlapping regions: IntervalSet? = nil) throws {
        features = try Self.entries(path: path).map { entry in
            let intervals =
                try regions.map { try IntervalSet(bedPath: entry.path, overlapping: $0) }
                ?? IntervalSet(bedPaths: [entry.path])
            return Feature(name: entry.name, category: entry.category, path: entry.path, intervals: intervals)
        }
        self.path = path
    }
}
