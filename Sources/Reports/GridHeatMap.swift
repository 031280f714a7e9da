import Foundation

/// A heat map of a full grid of probabilities (rows by columns, each labelled), white at 0 to dark
/// blue at 1 on a fixed scale so two grids compare; `fusionai scan` draws head breakpoints by tail
/// breakpoints with it. Labels are thinned where cells are too small to hold them.
public enum GridHeatMap {
    /// - Parameters:
    ///   - values: `values[row][column]`, in `[0, 1]`; NaN draws grey (no score).
    public static func svg(
        title: String, rowTitle: String, columnTitle: String, rowLabels: [String], columnLabels: [String],
        values: [[Double]], scaleLabel: String
    ) -> String {
        let rows = max(1, rowLabels.count)
        let columns = max(1, columnLabels.count)
        // Cells shrink for big grids so the figure stays about 900 x 700 at most.
        let cell = min(16, max(1, min(800 / Double(columns), 600 / Double(rows))))
        let left = 40.0 + 7 * Double(rowLabels.map(\.count).max() ?? 0)
        let top = 60.0 + 6 * Double(min(18, columnLabels.map(\.count).max() ?? 0))
        let plotW = cell * Double(columns)
        let plotH = cell * Double(rows)
        var svg = SVG(width: left + plotW + 120, height: max(top + plotH + 50, top + 170))
        svg.text(title, x: 12, y: 20, size: 14, weight: "bold")
        svg.text(columnTitle, x: left + plotW / 2, y: 38, size: 11, anchor: "middle")
        svg.text(rowTitle, x: 12, y: top + plotH + 30, size: 11)
        let rowEvery = max(1, Int((12 / cell).rounded(.up)))
        let columnEvery = max(1, Int((12 / cell).rounded(.up)))
        for (r, row) in values.enumerated() {
            let y = top + Double(r) * cell
            if r % rowEvery == 0, r < rowLabels.count {
                let size = min(11, max(7, cell - 3))
                svg.text(rowLabels[r], x: left - 6, y: y + min(cell, 12) - 2, size: size, anchor: "end")
            }
            for (c, value) in row.enumerated() {
                svg.rect(
                    x: left + Double(c) * cell, y: y, width: cell + 0.2, height: cell + 0.2,
                    fill: value.isFinite ? HeatMap.color(value) : HeatMap.noData)
            }
        }
        // Column labels stacked vertically, one character per line, so long positions fit narrow cells.
        for (c, label) in columnLabels.enumerated() where c % columnEvery == 0 {
            let x = left + (Double(c) + 0.5) * cell
            for (k, character) in label.prefix(18).enumerated() {
                svg.text(String(character), x: x, y: 52 + Double(k) * 6 + 6, size: 7, anchor: "middle")
            }
        }
        let scaleX = left + plotW + 24
        for k in 0..<20 {
            svg.rect(
                x: scaleX, y: top + Double(19 - k) * 6, width: 14, height: 6.3, fill: HeatMap.color(Double(k) / 19))
        }
        svg.text("1", x: scaleX + 18, y: top + 8, size: 10)
        svg.text("0", x: scaleX + 18, y: top + 120, size: 10)
        svg.text(scaleLabel, x: scaleX, y: top + 136, size: 10)
        return svg.text
    }
}
