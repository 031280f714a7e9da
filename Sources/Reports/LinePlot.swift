import Foundation

/// A line chart with axes, ticks, a legend and an optional diagonal: learning curves, ROC and
/// precision-recall curves, calibration.
public enum LinePlot {
    public struct Series {
        public let name: String
        public let color: String
        public let points: [(Double, Double)]

        public init(name: String, color: String, points: [(Double, Double)]) {
            self.name = name
            self.color = color
            self.points = points
        }
    }

    public static func svg(
        title: String, xLabel: String, yLabel: String, series: [Series],
        xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil, diagonal: Bool = false
    ) -> String {
        let width = 520.0
        let height = 410.0
        let left = 64.0
        let right = 20.0
        let top = 50.0
        let bottom = 52.0
        let plotW = width - left - right
        let plotH = height - top - bottom
        let all = series.flatMap(\.points).filter { $0.0.isFinite && $0.1.isFinite }
        let xs =
            xRange ?? ((all.map(\.0).min() ?? 0)...max((all.map(\.0).max() ?? 1), (all.map(\.0).min() ?? 0) + 1e-9))
        let ys =
            yRange ?? ((all.map(\.1).min() ?? 0)...max((all.map(\.1).max() ?? 1), (all.map(\.1).min() ?? 0) + 1e-9))
        func px(_ x: Double) -> Double { left + (x - xs.lowerBound) / (xs.upperBound - xs.lowerBound) * plotW }
        func py(_ y: Double) -> Double { top + plotH - (y - ys.lowerBound) / (ys.upperBound - ys.lowerBound) * plotH }
        var svg = SVG(width: width, height: height)
        svg.text(title, x: left, y: 20, size: 14, weight: "bold")
        svg.rect(x: left, y: top, width: plotW, height: plotH, fill: "#FAFAFA")
        for k in 0...5 {
            let fx = xs.lowerBound + Double(k) / 5 * (xs.upperBound - xs.lowerBound)
            let fy = ys.lowerBound + Double(k) / 5 * (ys.upperBound - ys.lowerBound)
            svg.line(x1: px(fx), y1: top + plotH, x2: px(fx), y2: top + plotH + 4, stroke: "#333")
            svg.text(tick(fx), x: px(fx), y: top + plotH + 16, size: 10, anchor: "middle")
            svg.line(x1: left - 4, y1: py(fy), x2: left, y2: py(fy), stroke: "#333")
            svg.text(tick(fy), x: left - 6, y: py(fy) + 3, size: 10, anchor: "end")
            svg.line(x1: left, y1: py(fy), x2: left + plotW, y2: py(fy), stroke: "#E4E4E4", width: 0.5)
        }
        svg.line(x1: left, y1: top + plotH, x2: left + plotW, y2: top + plotH, stroke: "#333")
        svg.line(x1: left, y1: top, x2: left, y2: top + plotH, stroke: "#333")
        svg.text(xLabel, x: left + plotW / 2, y: height - 12, size: 12, anchor: "middle")
        svg.text(yLabel, x: 14, y: top - 10, size: 12)
        if diagonal {
            svg.line(
                x1: px(max(xs.lowerBound, ys.lowerBound)), y1: py(max(xs.lowerBound, ys.lowerBound)),
                x2: px(min(xs.upperBound, ys.upperBound)), y2: py(min(xs.upperBound, ys.upperBound)), stroke: "#999",
                dash: "4,4")
        }
        for (i, s) in series.enumerated() {
            let points = s.points.filter { $0.0.isFinite && $0.1.isFinite }.map { (px($0.0), py($0.1)) }
            if points.count == 1 {
                svg.rect(x: points[0].0 - 2, y: points[0].1 - 2, width: 4, height: 4, fill: s.color)
            } else {
                svg.polyline(points, stroke: s.color, width: 2)
            }
            svg.line(
                x1: left + plotW - 150, y1: top + 14 + Double(i) * 16, x2: left + plotW - 130,
                y2: top + 14 + Double(i) * 16, stroke: s.color, width: 2)
            svg.text(s.name, x: left + plotW - 126, y: top + 18 + Double(i) * 16, size: 11)
        }
        return svg.text
    }

    private static func tick(_ v: Double) -> String {
        abs(v) >= 100 || v == v.rounded() ? String(Int(v.rounded())) : String(format: "%.2g", v)
    }
}
