import Foundation
import Fusions
import Reports

/// Writes a ``FeatureLandscape/Result`` as tables (long format, for R and pandas) and a figure.
public enum FeatureReport {
    /// Writes `coverage.tsv`, `landscape.tsv`, `enrichment.tsv` and `landscape.svg` into `folder`.
    public static func write(_ result: FeatureLandscape.Result, manifest: FeatureManifest, binsPerWindow: Int, folder: String) throws {
        let width = WindowRule.length
        var coverage = "row\tfusion\tfeature\thead_covered\ttail_covered\thead_fraction\ttail_fraction\ttop_covered\ttop_positions\ttop_fraction\n"
        for c in result.coverage {
            let top = c.top.map { "\($0.covered)\t\($0.positions)\t\(fraction($0.covered, $0.positions))" } ?? "NA\tNA\tNA"
            coverage += "\(c.row)\t\(c.fusion)\t\(c.feature)\t\(c.head)\t\(c.tail)\t\(fraction(c.head, width))\t\(fraction(c.tail, width))\t\(top)\n"
        }
        try save(coverage, folder + "/coverage.tsv")

        // Input positions 0..<20,000: head window then tail window, each in transcript orientation.
        let binWidth = width / binsPerWindow
        var landscape = "feature\tcategory\tpart\tbin_start\tbin_end\tmean_covered_fraction\n"
        for (feature, bins) in zip(manifest.features, result.landscape) {
            for (b, value) in bins.enumerated() {
                landscape += "\(feature.name)\t\(feature.category)\t\(b < binsPerWindow ? "head" : "tail")\t\(b * binWidth)\t\((b + 1) * binWidth)\t\(value)\n"
            }
        }
        try save(landscape, folder + "/landscape.tsv")

        var enrichment = "test\tfeature\tcategory\tcovered\ttotal\trest_covered\trest_total\tfraction\trest_fraction\todds_ratio\tp_value\tq_value\n"
        for (test, rows) in [("top_fis_vs_rest", result.top), ("positive_vs_negative", result.labels)] {
            for e in rows {
                enrichment += "\(test)\t\(e.feature)\t\(e.category)\t\(e.covered)\t\(e.total)\t\(e.restCovered)\t\(e.restTotal)\t\(fraction(e.covered, e.total))\t\(fraction(e.restCovered, e.restTotal))\t\(e.oddsRatio)\t\(e.pValue)\t\(e.qValue)\n"
            }
        }
        try save(enrichment, folder + "/enrichment.tsv")

        let colors = ["#255C99", "#D62839", "#109648", "#F7B32B", "#6C4F77", "#2E86AB", "#A23B72", "#3B3B3B"]
        let series = zip(manifest.features, result.landscape).enumerated().map { i, pair in
            LinePlot.Series(name: pair.0.name, color: colors[i % colors.count],
                            points: pair.1.enumerated().map { (Double($0.offset * binWidth + binWidth / 2), $0.element) })
        }
        let figure = LinePlot.svg(
            title: "Genomic features across the breakpoint windows (\(result.fusions) fusions)",
            xLabel: "input position (head 0-10k, tail 10k-20k; breakpoints at 5k and 15k)", yLabel: "mean covered fraction",
            series: series, xRange: 0...Double(2 * width))
        try save(figure, folder + "/landscape.svg")
    }

    private static func fraction(_ part: Int, _ whole: Int) -> String {
        whole > 0 ? String(Double(part) / Double(whole)) : "NA"
    }

    private static func save(_ text: String, _ path: String) throws {
        let file = try OutputFile(path: path)
        try file.write(text)
        try file.commit()
    }
}
