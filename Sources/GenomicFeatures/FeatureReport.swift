import Foundation
import Fusions
import Reports
import Results
import Support

/// Writes a ``FeatureLandscape/Result`` as tables (long format, for R and pandas) and a figure.
public enum FeatureReport {
    /// Writes `coverage.tsv`, `landscape.tsv`, `enrichment.tsv`, `landscape.svg` (heat map grouped by
    /// category) and `enrichment.svg` (forest plot) into `folder`, and with top-FIS regions
    /// `landscape_top.tsv` and `landscape_top.svg` (the landscape over the top-FIS positions only).
    public static func write(
        _ result: FeatureLandscape.Result, manifest: FeatureManifest, binsPerWindow: Int, folder: String
    ) throws {
        let files = FeaturesFolder(path: folder)
        try writeCoverage(result, files: files)
        try writeLandscape(result, manifest: manifest, binsPerWindow: binsPerWindow, files: files)
        try writeEnrichment(result, files: files)
        try writeTopLandscape(result, manifest: manifest, binsPerWindow: binsPerWindow, files: files)
    }

    /// The two enrichment tests, in the order tables and figures list them.
    private struct Test {
        let kind: EnrichmentTable.Test
        /// How the forest plot names it.
        let label: String
        let rows: [FeatureLandscape.Enrichment]
    }

    private static func tests(_ result: FeatureLandscape.Result) -> [Test] {
        [
            Test(kind: .topFISVersusRest, label: "top FIS vs rest", rows: result.top),
            Test(kind: .positiveVersusNegative, label: "positive vs negative", rows: result.labels),
        ]
    }

    /// `coverage.tsv`: per fusion and feature, covered bases of each window and of its top-FIS regions.
    private static func writeCoverage(_ result: FeatureLandscape.Result, files: FeaturesFolder) throws {
        let width = WindowRule.length
        var coverage = CoverageTable.schema.header()
        for c in result.coverage {
            let top =
                c.top.map { "\($0.covered)\t\($0.positions)\t\(fraction($0.covered, $0.positions))" } ?? "NA\tNA\tNA"
            coverage += CoverageTable.schema.line([
                "\(c.row)", c.fusion, c.feature, "\(c.head)", "\(c.tail)", fraction(c.head, width),
                fraction(c.tail, width), top,
            ])
        }
        try save(coverage, files.coverage)
    }

    /// `landscape.tsv` and `landscape.svg`: input positions 0..<20,000, head window then tail window,
    /// each in transcript orientation.
    private static func writeLandscape(
        _ result: FeatureLandscape.Result, manifest: FeatureManifest, binsPerWindow: Int, files: FeaturesFolder
    ) throws {
        let binWidth = WindowRule.length / binsPerWindow
        var landscape = LandscapeTable.schema.header()
        for (feature, bins) in zip(manifest.features, result.landscape) {
            for (b, value) in bins.enumerated() {
                landscape += LandscapeTable.schema.line([
                    feature.name, feature.category, b < binsPerWindow ? "head" : "tail", "\(b * binWidth)",
                    "\((b + 1) * binWidth)", "\(value)",
                ])
            }
        }
        try save(landscape, files.landscape)
        try save(
            landscapeFigure(
                manifest, result.landscape,
                title: "Genomic features across the breakpoint windows (\(result.fusions) fusions)",
                scale: "covered fraction"),
            files.figure(.landscape))
    }

    /// `enrichment.tsv` and `enrichment.svg` (forest plot).
    private static func writeEnrichment(_ result: FeatureLandscape.Result, files: FeaturesFolder) throws {
        var enrichment = EnrichmentTable.schema.header()
        for test in tests(result) {
            for e in test.rows {
                enrichment += EnrichmentTable.schema.line([
                    test.kind.rawValue, e.feature, e.category, "\(e.covered)", "\(e.total)", "\(e.restCovered)",
                    "\(e.restTotal)", fraction(e.covered, e.total), fraction(e.restCovered, e.restTotal),
                    "\(e.oddsRatio)", "\(e.confidenceInterval.low)", "\(e.confidenceInterval.high)", "\(e.pValue)",
                    "\(e.qValue)",
                ])
            }
        }
        try save(enrichment, files.enrichment)
        let forest = tests(result).flatMap { test in
            test.rows.map { e in
                ForestPlot.Row(
                    label: "\(e.feature) (\(test.label))", estimate: e.oddsRatio, low: e.confidenceInterval.low,
                    high: e.confidenceInterval.high, significant: e.qValue < 0.05)
            }
        }
        try save(
            ForestPlot.svg(
                title: "Feature enrichment (filled: BH q < 0.05)", xLabel: "odds ratio (95% CI, log2 axis)",
                rows: forest),
            files.figure(.enrichment))
    }

    /// `landscape_top.tsv` and `landscape_top.svg`: the landscape over the top-FIS positions only (the
    /// original's second R script); removed when no position was explained.
    private static func writeTopLandscape(
        _ result: FeatureLandscape.Result, manifest: FeatureManifest, binsPerWindow: Int, files: FeaturesFolder
    ) throws {
        let topTotal = result.topPositions.reduce(0, +)
        guard topTotal > 0 else {
            // An earlier run's top landscape would no longer match.
            for path in [files.landscapeTop, files.figure(.landscapeTop)]
            where FileManager.default.fileExists(atPath: path) {
                try FileManager.default.removeItem(atPath: path)
            }
            return
        }
        let binWidth = WindowRule.length / binsPerWindow
        var top = LandscapeTopTable.schema.header()
        for (feature, bins) in zip(manifest.features, result.topCovered) {
            for (b, covered) in bins.enumerated() {
                top += LandscapeTopTable.schema.line([
                    feature.name, feature.category, b < binsPerWindow ? "head" : "tail", "\(b * binWidth)",
                    "\((b + 1) * binWidth)", "\(result.topPositions[b])", "\(covered)",
                    fraction(covered, result.topPositions[b]),
                ])
            }
        }
        try save(top, files.landscapeTop)
        let fractions = result.topCovered.map { bins in
            bins.enumerated().map { b, covered in
                result.topPositions[b] > 0 ? Double(covered) / Double(result.topPositions[b]) : .nan
            }
        }
        try save(
            landscapeFigure(
                manifest, fractions,
                title: "Genomic features in the top-FIS positions only (\(topTotal) positions)",
                scale: "covered fraction"),
            files.figure(.landscapeTop))
    }

    /// Writes one fusion's feature intervals in its model input into `folder`'s `tracks/` (which
    /// must exist): `ID.features.tsv`
    /// (input and genome coordinates, BED-style 0-based starts, whole windows) and `ID.features.svg`
    /// (the explained `scores` when given, and one strip per feature under them, over the window
    /// positions `view`, on the horizontal scale of explain's `ID.svg` overview).
    public static func writeTracks(
        _ landscape: FeatureLandscape, record: FusionRecord, id: String, view: Range<Int>, scores: [Float]?,
        folder: String
    ) throws {
        let files = FeaturesFolder(path: folder)
        let tracks = landscape.tracks(of: record)
        var table = FeatureTracksTable.schema.header()
        for (feature, segments) in zip(landscape.manifest.features, tracks) {
            for s in segments {
                table += FeatureTracksTable.schema.line([
                    feature.name, feature.category, s.part == 0 ? "head" : "tail", "\(s.input.lowerBound)",
                    "\(s.input.upperBound)", s.chromosome, "\(s.genome.lowerBound - 1)", "\(s.genome.upperBound)",
                ])
            }
        }
        try save(table, files.trackTable(id))
        // Figure positions: the view of the head window, then the view of the tail window.
        let shown = view.count
        func inView(_ s: FeatureLandscape.Segment) -> Range<Int>? {
            let local = s.input.clamped(
                to: (s.part * WindowRule.length + view.lowerBound)..<(s.part * WindowRule.length + view.upperBound))
            guard !local.isEmpty else { return nil }
            let shift = s.part * (shown - WindowRule.length) - view.lowerBound
            return (local.lowerBound + shift)..<(local.upperBound + shift)
        }
        let whole = shown == WindowRule.length
        let figure = FeatureTrackStrips.svg(
            title: "\(record.name): \(scores == nil ? "" : "FIS and ")genomic features along the model input"
                + (whole ? "" : " (central \(shown) nt of each window, as the model sees it)"),
            length: 2 * shown, junction: shown, scores: scores,
            breakpoints: [
                .init(
                    label: "head breakpoint",
                    index: WindowRule.breakpointIndex(strand: record.head.strand) - view.lowerBound),
                .init(
                    label: "tail breakpoint",
                    index: shown + WindowRule.breakpointIndex(strand: record.tail.strand) - view.lowerBound),
            ],
            tracks: zip(landscape.manifest.features, tracks).map {
                .init(label: $0.name, group: $0.category, segments: $1.compactMap(inView))
            })
        try save(figure, files.trackFigure(id))
    }

    /// A heat map of `[feature][bin]` values across the 20-kb input, rows grouped by category.
    private static func landscapeFigure(_ manifest: FeatureManifest, _ values: [[Double]], title: String, scale: String)
        -> String
    {
        let width = WindowRule.length
        let rows = zip(manifest.features, values).enumerated()
            .sorted { ($0.element.0.category, $0.offset) < ($1.element.0.category, $1.offset) }
            .map { HeatMap.Row(label: $0.element.0.name, group: $0.element.0.category, values: $0.element.1) }
        return HeatMap.svg(
            title: title,
            xLabel: "input position, nt (head window 0-10,000, tail window 10,000-20,000, transcript orientation)",
            scaleLabel: scale, rows: rows, columnRange: 0...Double(2 * width),
            markers: [(Double(WindowRule.upstream), "head bp"), (Double(width + WindowRule.upstream), "tail bp")])
    }

    private static func fraction(_ part: Int, _ whole: Int) -> String {
        whole > 0 ? String(Double(part) / Double(whole)) : "NA"
    }

    private static func save(_ text: String, _ path: String) throws {
        try OutputFile.write(text, to: path)
    }
}
