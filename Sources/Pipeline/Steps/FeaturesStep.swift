import Foundation
import FusionAI
import Fusions
import Genome
import GenomicFeatures
import Results
import Support

/// Step 5: genomic features across the breakpoint windows, in the top-FIS regions of the fusions
/// `explain` scored, and their enrichment, as tables and figures in a folder (``FeaturesFolder``).
public enum FeaturesStep {
    public struct Options: Sendable {
        /// A prepared file, a FusionAI data file, or caller output with strands; `-` is stdin.
        public var input: String
        /// The feature manifest: TSV of name, category, path.
        public var manifest: String
        public var format: FusionFormat?
        /// The folder `explain` wrote for the same input (enables the top-FIS measures).
        public var explained: String?
        /// Which of explain's top fractions to use, as explain labels it.
        public var top = "top1%"
        /// Landscape bins per 10-kb window (a divisor of 10,000).
        public var bins = 50
        /// The folder (created if missing).
        public var output: String
        public var threads = 1

        public init(input: String, manifest: String, output: String) {
            self.input = input
            self.manifest = manifest
            self.output = output
        }
    }

    public struct Result: Sendable {
        /// Fusions measured (both strands known).
        public let fusions: Int
        /// Of them, those with top-FIS regions (and so feature tracks).
        public let explained: Int
        /// Rows left out: rejected by the reader or without strands.
        public let skipped: Int
        public let tracks: Int
    }

    /// - Throws: ``FusionInputError``, ``GenomeError`` (manifest or track), ``ResultsFileError`` and
    ///   ``ExplainFileError`` (explain's folder), ``OutputError``.
    public static func run(_ options: Options, log: StepLog = .silent) throws -> Result {
        // Made first: an output path that cannot be a folder fails before the work, not after.
        let lock = try OutputLock.claimFolder(options.output)
        defer { lock.release() }
        let reader = try FusionReader(path: options.input, format: options.format)
        var records: [(row: Int, record: FusionRecord)] = []
        var rejected = 0
        var unstranded = 0
        while let result = try reader.next() {
            switch result {
            case .ignored: continue
            case .rejected(let why):
                rejected += 1
                log.warning("skipped: \(why)")
            case .record(let record):
                if record.head.strand == .unknown || record.tail.strand == .unknown {
                    unstranded += 1
                } else {
                    records.append((reader.dataRow, record))
                }
            }
        }
        if unstranded > 0 {
            log.warning("\(unstranded) row(s) skipped: strand unknown (run `fusionai prepare --annotation` first)")
        }
        let spans = FeatureLandscape.windowSpans(records.map(\.record))
        let manifest = try FeatureManifest(path: options.manifest, overlapping: spans)
        for feature in manifest.features where !records.isEmpty && !feature.intervals.sharesChromosomes(with: spans) {
            // Both sides as they are compared (aliases folded: no `chr`, lower case), so they read alike.
            let names = { (set: Set<String>) in
                set.sorted().prefix(3).joined(separator: ", ") + (set.count > 3 ? ", ..." : "")
            }
            log.warning(
                "track \(feature.name) (\(feature.path)) "
                    + (feature.intervals.chromosomes.isEmpty
                        ? "holds no interval"
                        : "names none of the fusions' chromosomes (compared without `chr`, in lower case: the "
                            + "fusions' \(names(spans.chromosomes)); the track's "
                            + "\(names(feature.intervals.chromosomes)))")
                    + ": it covers nothing; is it made for another genome build or naming?")
        }
        let indexed = manifest.features.filter(\.byRegion).count
        log.info(
            "\(manifest.features.count) feature track(s) from \(options.manifest)"
                + (indexed > 0 ? " (\(indexed) read by region through tabix indexes)" : ""))
        var explained: [(row: Int, record: FusionRecord)] = []
        var regions: [Int: [FeatureLandscape.TopRegion]] = [:]
        if let folder = options.explained {
            // One listing of the folder, not one file lookup per input row.
            let ids = Set(try ExplainFolder(path: folder).explainedIDs())
            for (row, record) in records {
                let id = FusionID.make(row: row, fusion: record.name)
                guard ids.contains(id),
                    let found = try TopRegionsFile.regions(folder: folder, id: id, fraction: options.top)
                else { continue }
                // IDs name a row and its genes only: another input's row of the same genes would pass.
                let windows = [record.head, record.tail].map {
                    IntervalSet([($0.chromosome, WindowRule.span(around: $0.position))])
                }
                if let outside = found.first(where: {
                    windows[$0.part].covered(chromosome: $0.chromosome, range: $0.range) != $0.range.count
                }) {
                    throw ExplainFileError(
                        .otherInput, path: ExplainFolder(path: folder).topRegions(id),
                        "has a region at \(outside.chromosome):\(outside.range.lowerBound)-"
                            + "\(outside.range.upperBound), outside the \(outside.part == 0 ? "head" : "tail") "
                            + "window of row \(row) of "
                            + "\(options.input): was the folder explained from another input?")
                }
                regions[row] = found
                explained.append((row, record))
            }
            if explained.isEmpty {
                log.warning(
                    "no \(ExplainFolder(path: folder).topRegions("rowN_*")) matches INPUT's rows: "
                        + "was it explained from this file?")
            }
        }
        var landscape = FeatureLandscape(manifest: manifest)
        landscape.binsPerWindow = options.bins
        let progress = { (done: Int) in log.progress(.rows(done, fraction: Double(done) / Double(records.count))) }
        let result = landscape.run(
            records, topRegions: { row, _ in regions[row] }, threads: options.threads, progress: progress)
        try FeatureReport.write(result, manifest: manifest, binsPerWindow: options.bins, folder: options.output)
        if !explained.isEmpty {
            try FileManager.default.createDirectory(
                atPath: FeaturesFolder(path: options.output).tracks, withIntermediateDirectories: true)
        }
        for (row, record) in explained {
            let id = FusionID.make(row: row, fusion: record.name)
            let scores = try options.explained.flatMap { try FISTableFile.read(folder: $0, id: id) }
            try FeatureReport.writeTracks(
                landscape, record: record, id: id, view: scores?.view ?? 0..<WindowRule.length,
                scores: scores?.scores, folder: options.output)
        }
        log.info(
            "\(result.fusions) fusion(s) measured (\(explained.count) with top-FIS regions, "
                + "\(rejected + unstranded) skipped) into \(options.output)/")
        return Result(
            fusions: result.fusions, explained: explained.count, skipped: rejected + unstranded,
            tracks: manifest.features.count)
    }
}
