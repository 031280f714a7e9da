import Foundation

/// A forest plot: one row per estimate with its confidence interval, on a log2 axis around 1.
public enum ForestPlot {
    public struct Row {
        public let label: String
        public let estimate: Double
        public let low: Double
        public let high: Double
        /// Drawn filled when true (e.g. q < 0.05), hollow otherwise.
        public let significant: Bool
        public init(label: String, estimate: Double, low: Double, high: Double, significant: Bool) {
            self.label = label
            self.estimate = estimate
            self.low = low
            self.high = high
            self.significant = significant
        }
    }

    public static func svg(title: String, xLabel: String, rows: [Row]) -> String {
        let left = 60.0 + 7 * Double(rows.map(\.label.count).max() ?? 10)
        let top = 50.0
        let cell = 18.0
        let plotW = 420.0
        let height = top + Double(max(1, rows.count)) * cell + 60
        let logs = rows.flatMap { [$0.low, $0.high, $0.estimate] }.filter { $0.isFinite && $0 > 0 }.map(log2)
        // Beyond 2^±12 (and infinite odds ratios) points sit at the edge.
        let span = min(12, max(1, (logs.map(abs).max() ?? 1).rounded(.up)))
        func px(_ value: Double) -> Double {
            let l = value > 0 ? (value.isFinite ? log2(value) : span) : -span
            return left + (min(span, max(-span, l)) + span) / (2 * span) * plotW
        }
        var svg = SVG(width: left + plotW + 30, height: height)
        svg.text(title, x: 12, y: 20, size: 14, weight: "bold")
        let bottom = top + Double(rows.count) * cell
        svg.line(x1: px(1), y1: top - 4, x2: px(1), y2: bottom, stroke: "#888", dash: "3,2")
        for (r, row) in rows.enumerated() {
            let y = top + Double(r) * cell + cell / 2
            svg.text(row.label, x: left - 8, y: y + 4, size: 11, anchor: "end")
            svg.line(x1: px(row.low), y1: y, x2: px(row.high), y2: y, stroke: "#255C99", width: 1.5)
            let x = px(row.estimate)
            svg.rect(x: x - 4, y: y - 4, width: 8, height: 8, fill: row.significant ? "#255C99" : "#FFFFFF")
            if !row.significant {
                svg.polyline(
                    [(x - 4, y - 4), (x + 4, y - 4), (x + 4, y + 4), (x - 4, y + 4), (x - 4, y - 4)], stroke: "#255C99")
            }
        }
        let step = max(1, (span / 4).rounded(.up))
        var k = -span
        while k <= span {
            svg.line(x1: px(pow(2, k)), y1: bottom, x2: px(pow(2, k)), y2: bottom + 4, stroke: "#333")
            svg.text(
                abs(k) > 10 ? "2^\(Int(k))" : k >= 0 ? String(Int(pow(2, k))) : "1/\(Int(pow(2, -k)))",
                x: px(pow(2, k)), y: bottom + 16, size: 10, anchor: "middle")
            k += step
        }
        svg.text(xLabel, x: left + plotW / 2, y: bottom + 34, size: 11, anchor: "middle")
        return svg.text
    }
}
