import ArgumentParser
import Foundation
import FusionAI
import Fusions
import GenomicFeatures

/// `fusionai features`: genomic features across the breakpoint windows, and in the top-FIS regions.
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Genomic features across the breakpoint windows and their enrichment in top-FIS regions (step 5).",
        discussion: """
            FEATURES is a TSV manifest with a header: name, category, path (BED or BED.gz, one track \
            per row; chromosome names match with or without chr). Writes OUT/coverage.tsv (per fusion \
            and feature: covered bases of each window and of its top-FIS regions), landscape.tsv and \
            landscape.svg (mean covered fraction in bins across the 20-kb input, transcript orientation; \
            heat map grouped by category), with --fis landscape_top.tsv and .svg (the same over the \
            top-FIS positions only), enrichment.tsv and enrichment.svg (forest plot): each \
            feature in top-FIS regions against the rest of the windows (with --fis, the folder \
            `fusionai explain` wrote for the same INPUT) and in positive against negative fusions \
            (when INPUT has labels): odds ratio, two-sided Fisher p, Benjamini-Hochberg q; and for \
            each explained fusion tracks/ID.features.tsv and .svg (its FIS and, under them, the \
            features along its input, on the scale of explain's ID.svg overview). A bgzip-compressed track with a tabix index \
            beside it (.tbi or .csi) is read only around the windows when they are few against its \
            lines. Rows need known strands: run \
            `fusionai prepare` on caller output first.
            """
    )

    @Argument(help: "Fusions: prepared file, FusionAI data file, or caller output ('-' for stdin).")
    var input: String

    @Option(help: "Feature manifest: TSV of name, category, path.")
    var features: String

    @Option(name: [.short, .long], help: "Input format (default: detected).")
    var format: FusionFormat?

    @Option(
        name: [.customLong("fis"), .customLong("explain")],
        help: "Folder written by `fusionai explain` for the same INPUT (enables the top-FIS test).")
    var fis: String?

    @Option(help: "Which explain top fraction to test, as explain labels it.")
    var top: String = "top1%"

    @Option(help: "Landscape bins per 10-kb window (a divisor of 10,000).")
    var bins = 50

    @Option(name: [.short, .long], help: "Output folder (created if missing).")
    var output: String

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard bins > 0, WindowRule.length % bins == 0 else {
            throw ValidationError("--bins must divide 10,000 (e.g. 20, 50, 100).")
        }
    }

    func run() throws {
        let console = Console(command: "features", quiet: common.quiet)
        try reportingFailures(console) {
            let reader = try FusionReader(path: input, format: format)
            var records: [(row: Int, record: FusionRecord)] = []
            var rejected = 0
            var unstranded = 0
            while let result = try reader.next() {
                switch result {
                case .ignored: continue
                case .rejected(let why):
                    rejected += 1
                    console.warning("skipped: \(why)")
                case .record(let record):
                    if record.head.strand == .unknown || record.tail.strand == .unknown {
                        unstranded += 1
                    } else {
                        records.append((reader.dataRow, record))
                    }
                }
            }
            if unstranded > 0 {
                console.warning(
                    "\(unstranded) row(s) skipped: strand unknown (run `fusionai prepare --annotation` first)")
            }
            let manifest = try FeatureManifest(
                path: features, overlapping: FeatureLandscape.windowSpans(records.map(\.record)))
            let indexed = manifest.features.filter(\.byRegion).count
            console.info(
                "\(manifest.features.count) feature track(s) from \(features)\(indexed > 0 ? " (\(indexed) read by region through tabix indexes)" : "")"
            )
            var explained: [(row: Int, record: FusionRecord)] = []
            var regions: [Int: [FeatureLandscape.TopRegion]] = [:]
            if let fis {
                // One listing of the folder, not one file lookup per input row.
                guard let names = try? FileManager.default.contentsOfDirectory(atPath: fis) else {
                    throw FusionInputError(
                        .unreadable, path: fis, "is not a readable folder: give the folder `fusionai explain -o` wrote")
                }
                let suffix = ".top_regions.tsv"
                let ids = Set(names.filter { $0.hasSuffix(suffix) }.map { String($0.dropLast(suffix.count)) })
                for (row, record) in records where ids.contains(ExplainJob.id(row: row, record: record)) {
                    if let found = try TopRegionsFile.regions(
                        folder: fis, id: ExplainJob.id(row: row, record: record), fraction: top)
                    {
                        regions[row] = found
                        explained.append((row, record))
                    }
                }
                if explained.isEmpty {
                    console.warning(
                        "no \(fis)/rowN_*.top_regions.tsv matches INPUT's rows: was it explained from this file?")
                }
            }
            var landscape = FeatureLandscape(manifest: manifest)
            landscape.binsPerWindow = bins
            let result = landscape.run(records, topRegions: { row, _ in regions[row] }, threads: common.threads) {
                done in
                console.progress(rows: done, fraction: Double(done) / Double(records.count))
            }
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            try FeatureReport.write(result, manifest: manifest, binsPerWindow: bins, folder: output)
            if !explained.isEmpty {
                try FileManager.default.createDirectory(atPath: output + "/tracks", withIntermediateDirectories: true)
            }
            for (row, record) in explained {
                let id = ExplainJob.id(row: row, record: record)
                let table = try fis.flatMap { try FISTableFile.read(folder: $0, id: id) }
                try FeatureReport.writeTracks(
                    landscape, record: record, id: id, view: table?.view ?? 0..<WindowRule.length,
                    scores: table?.scores, folder: output + "/tracks")
            }
            console.info(
                "\(result.fusions) fusion(s) measured (\(explained.count) with top-FIS regions, \(rejected + unstranded) skipped) into \(output)/"
            )
        }
    }
}
