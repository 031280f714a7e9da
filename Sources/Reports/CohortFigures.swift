import Foundation

/// The figures of a cohort report: scores of samples by gene pairs, recurrence and caller
/// agreement, and each sample's score distribution.
public enum CohortFigures {
    /// A heat map with one row per gene pair and one column per sample: the pair's best score in
    /// that sample, grey where the sample has no call of it.
    /// - Parameter scores: `scores[row][column]`, NaN for no call.
    public static func heatMap(genePairs: [String], samples: [String], scores: [[Double]]) -> String {
        let cell = 14.0
        let columnWidth = max(1.5, min(14, 700 / Double(max(1, samples.count))))
        let left = 18 + (genePairs.map { SVG.textWidth($0, size: 11) }.max() ?? 30)
        let labelled = samples.count <= 60
        // Whole names, running upward: TCGA barcodes share their first 8 letters, all the old
        // letter-by-letter labels showed.
        let sampleLabels = samples.map { String($0.prefix(40)) }
        let top = labelled ? 36 + (sampleLabels.map { SVG.textWidth($0, size: 8) }.max() ?? 0) + 6 : 50.0
        let plotW = columnWidth * Double(samples.count)
        // Wide enough for the title, however few the samples.
        let width = max(left + plotW + 130, 420)
        var svg = SVG(width: width, height: max(top + Double(genePairs.count) * cell + 40, top + 170))
        svg.text("Best score of each gene pair in each sample", x: 12, y: 20, size: 14, weight: "bold")
        if labelled {
            for (c, sample) in sampleLabels.enumerated() {
                svg.text(sample, x: left + (Double(c) + 0.5) * columnWidth + 3, y: top - 6, size: 8, upward: true)
            }
        } else {
            svg.text("\(samples.count) samples (sheet order)", x: left, y: top - 8, size: 11)
        }
        for (r, name) in genePairs.enumerated() {
            let y = top + Double(r) * cell
            svg.text(name, x: left - 6, y: y + cell - 3, size: 11, anchor: "end")
            for (c, value) in (r < scores.count ? scores[r] : []).enumerated() {
                svg.rect(
                    x: left + Double(c) * columnWidth, y: y, width: columnWidth + 0.2, height: cell - 1,
                    fill: value.isFinite ? HeatMap.color(value) : HeatMap.noData)
            }
        }
        let scaleX = left + plotW + 24
        for k in 0..<20 {
            svg.rect(
                x: scaleX, y: top + Double(19 - k) * 6, width: 14, height: 6.3, fill: HeatMap.color(Double(k) / 19))
        }
        svg.text("1", x: scaleX + 18, y: top + 8, size: 10)
        svg.text("0", x: scaleX + 18, y: top + 120, size: 10)
        svg.text("P(fusion)", x: scaleX, y: top + 136, size: 10)
        svg.rect(x: scaleX, y: top + 146, width: 14, height: 8, fill: HeatMap.noData)
        svg.text("no call", x: scaleX + 18, y: top + 154, size: 10)
        return svg.text
    }

    /// Two bars per gene pair, each on its own scale: the samples it recurs in and the callers that
    /// report it out of the cohort's `callerCount` (a handful against hundreds of samples would not
    /// show on one axis).
    public static func recurrence(genePairs: [String], samples: [Int], callers: [Int], callerCount: Int) -> String {
        let row = 16.0
        let left = 30 + 7 * Double(genePairs.map(\.count).max() ?? 4)
        let samplesW = 360.0
        let callersX = left + samplesW + 60
        let callersW = 160.0
        let top = 50.0
        let maxSamples = Double(max(1, samples.max() ?? 1))
        let maxCallers = Double(max(1, callerCount, callers.max() ?? 1))
        var svg = SVG(width: callersX + callersW + 40, height: top + Double(genePairs.count) * row + 30)
        svg.text("Recurrence and caller agreement", x: 12, y: 20, size: 14, weight: "bold")
        svg.text("samples with the gene pair", x: left, y: top - 8, size: 11)
        svg.text("callers reporting it (of \(callerCount))", x: callersX, y: top - 8, size: 11)
        for (r, name) in genePairs.enumerated() {
            let y = top + Double(r) * row
            svg.text(name, x: left - 6, y: y + 11, size: 11, anchor: "end")
            let s = r < samples.count ? samples[r] : 0
            let c = r < callers.count ? callers[r] : 0
            svg.rect(x: left, y: y + 2, width: Double(s) / maxSamples * samplesW, height: row - 4, fill: "#10346E")
            svg.text(String(s), x: left + Double(s) / maxSamples * samplesW + 4, y: y + 11, size: 9)
            svg.rect(x: callersX, y: y + 2, width: Double(c) / maxCallers * callersW, height: row - 4, fill: "#E8A33D")
            svg.text(String(c), x: callersX + Double(c) / maxCallers * callersW + 4, y: y + 11, size: 9)
        }
        return svg.text
    }

    /// One strip per sample with a tick at the score of each of its pairs, and the median marked.
    public static func scoreDistribution(samples: [String], scores: [[Double]]) -> String {
        let row = 14.0
        let left = 30 + 7 * Double(samples.map(\.count).max() ?? 4)
        let plotW = 500.0
        let top = 40.0
        var svg = SVG(width: left + plotW + 40, height: top + Double(samples.count) * row + 40)
        svg.text("Scores of each sample's breakpoint pairs", x: 12, y: 20, size: 14, weight: "bold")
        for (r, sample) in samples.enumerated() {
            let y = top + Double(r) * row
            svg.text(sample, x: left - 6, y: y + 10, size: 10, anchor: "end")
            svg.rect(x: left, y: y + 1, width: plotW, height: row - 2, fill: "#F4F4F4")
            let values = (r < scores.count ? scores[r] : []).filter(\.isFinite).sorted()
            for v in values {
                svg.line(
                    x1: left + v * plotW, y1: y + 2, x2: left + v * plotW, y2: y + row - 2, stroke: "#10346E",
                    width: 1)
            }
            if !values.isEmpty {
                let median = values[values.count / 2]
                svg.rect(x: left + median * plotW - 1.5, y: y, width: 3, height: row, fill: "#D62839")
            }
        }
        let bottom = top + Double(samples.count) * row
        for k in 0...4 {
            let x = left + Double(k) / 4 * plotW
            svg.line(x1: x, y1: bottom, x2: x, y2: bottom + 4, stroke: "#333")
            svg.text(String(Double(k) / 4), x: x, y: bottom + 16, size: 10, anchor: "middle")
        }
        svg.text(
            "P(fusion-positive); red: the sample's median", x: left + plotW / 2, y: bottom + 32, size: 11,
            anchor: "middle")
        return svg.text
    }
}
