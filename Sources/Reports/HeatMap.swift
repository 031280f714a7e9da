import Foundation

/// A heat map of rows (grouped, with a label per row) by columns, white to dark blue (grey where a
/// value is NaN: no data), with vertical markers (e.g. breakpoints) and a colour scale.
public enum HeatMap {
    public struct Row {
        public let label: String
        public let group: String
        public let values: [Double]
        public init(label: String, group: String, values: [Double]) {
            self.label = label
            self.group = group
            self.values = values
        }
    }

    /// - Parameters:
    ///   - rows: in display order; a group label is drawn where the group changes.
    ///   - columnRange: what the columns span on the x axis (e.g. 0...20,000 nt).
    ///   - markers: x positions (in `columnRange` units) and labels of vertical lines.
    public static func svg(
        title: String, xLabel: String, scaleLabel: String, rows: [Row],
        columnRange: ClosedRange<Double>, markers: [(x: Double, label: String)]
    ) -> String {
        let columns = rows.map(\.values.count).max() ?? 1
        let labelWidth = 140.0 + 8 * Double(rows.map(\.label.count).max() ?? 0).squareRoot()
        let left = labelWidth + 90
        let top = 50.0
        let cell = 16.0
        let plotW = 600.0
        let right = 120.0
        // Tall enough for the colour scale and its no-data key, however few the rows.
        let height = max(top + Double(max(1, rows.count)) * cell + 60, top + 164)
        let maxValue = max(rows.flatMap(\.values).filter(\.isFinite).max() ?? 1, 1e-12)
        var svg = SVG(width: left + plotW + right, height: height)
        svg.text(title, x: 12, y: 20, size: 14, weight: "bold")
        func px(_ x: Double) -> Double {
            left + (x - columnRange.lowerBound) / (columnRange.upperBound - columnRange.lowerBound) * plotW
        }
        let columnWidth = plotW / Double(columns)
        var previousGroup: String?
        for (r, row) in rows.enumerated() {
            let y = top + Double(r) * cell
            if row.group != previousGroup {
                svg.text(row.group, x: 12, y: y + cell - 4, size: 11, weight: "bold")
                if previousGroup != nil { svg.line(x1: 12, y1: y, x2: left + plotW, y2: y, stroke: "#888", width: 0.5) }
                previousGroup = row.group
            }
            svg.text(row.label, x: left - 6, y: y + cell - 4, size: 11, anchor: "end")
            for (c, value) in row.values.enumerated() {
                svg.rect(
                    x: left + Double(c) * columnWidth, y: y, width: columnWidth + 0.3, height: cell - 1,
                    fill: value.isFinite ? color(value / maxValue) : noData)
            }
        }
        let bottom = top + Double(rows.count) * cell
        for marker in markers {
            svg.line(
                x1: px(marker.x), y1: top - 4, x2: px(marker.x), y2: bottom, stroke: "#D62839", width: 1, dash: "3,2")
            svg.text(marker.label, x: px(marker.x), y: top - 8, size: 10, anchor: "middle", color: "#D62839")
        }
        for k in 0...4 {
            let x = columnRange.lowerBound + Double(k) / 4 * (columnRange.upperBound - columnRange.lowerBound)
            svg.line(x1: px(x), y1: bottom, x2: px(x), y2: bottom + 4, stroke: "#333")
            svg.text(String(Int(x.rounded())), x: px(x), y: bottom + 16, size: 10, anchor: "middle")
        }
        svg.text(xLabel, x: left + plotW / 2, y: bottom + 34, size: 11, anchor: "middle")
        // Colour scale.
        let scaleX = left + plotW + 24
        for k in 0..<20 {
            svg.rect(x: scaleX, y: top + Double(19 - k) * 6, width: 14, height: 6.3, fill: color(Double(k) / 19))
        }
        svg.text(shortNumber(maxValue), x: scaleX + 18, y: top + 8, size: 10)
        svg.text("0", x: scaleX + 18, y: top + 120, size: 10)
        svg.text(scaleLabel, x: scaleX, y: top + 136, size: 10)
        if rows.contains(where: { $0.values.contains { !$0.isFinite } }) {
            svg.rect(x: scaleX, y: top + 146, width: 14, height: 8, fill: noData)
            svg.text("no data", x: scaleX + 18, y: top + 154, size: 10)
        }
        return svg.text
    }

    /// Cells without a value (NaN), told apart from 0.
    static let noData = "#D9D9D9"

    /// 0 → white, 1 → dark blue.
    static func color(_ t: Double) -> String {
        let v = t.isFinite ? min(1, max(0, t)) : 0
        let (r, g, b) = (255 - v * (255 - 16), 255 - v * (255 - 52), 255 - v * (255 - 110))
        return "rgb(\(Int(r)),\(Int(g)),\(Int(b)))"
    }

    static func shortNumber(_ v: Double) -> String {
        v >= 0.01 ? String((v * 1000).rounded() / 1000) : String(format: "%.2e", v)
    }
}
