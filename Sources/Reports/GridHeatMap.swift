import Foundation

/// A heat map of a full grid of probabilities (rows by columns, each labelled), white at 0 to dark
/// blue at 1 on a fixed scale so two grids compare; `fusionai scan` draws head breakpoints by tail
/// breakpoints with it. Labels are thinned where cells are too small to hold them; the layout leaves
/// room for every text, so none is cut at the edge or runs into another.
public enum GridHeatMap {
    /// - Parameters:
    ///   - values: `values[row][column]`, in `[0, 1]`; NaN draws grey (no score).
    public static func svg(
        title: String, rowTitle: String, columnTitle: String, rowLabels: [String], columnLabels: [String],
        values: [[Double]], scaleLabel: String
    ) -> String {
        let rows = max(1, rowLabels.count)
        let columns = max(1, columnLabels.count)
        // Cells shrink for big grids so the plot stays about 800 x 600 at most.
        let cell = min(16, max(1, min(800 / Double(columns), 600 / Double(rows))))
        let rowSize = min(11, max(7, cell - 3))
        let columnSize = min(9, max(7, cell - 3))
        let columnLabels = columnLabels.map { String($0.prefix(24)) }
        let left = 12 + (rowLabels.map { SVG.textWidth($0, size: rowSize) }.max() ?? 0) + 6
        // The title, the column axis title, then the column labels running upward to the plot.
        let top = 52 + (columnLabels.map { SVG.textWidth($0, size: columnSize) }.max() ?? 0) + 6
        let plotW = cell * Double(columns)
        let plotH = cell * Double(rows)
        let scaleX = left + plotW + 24
        let scaleHeight = 120.0
        // The row axis title goes below both the plot and the colour scale, so it meets neither.
        let rowTitleY = top + max(plotH, scaleHeight + 6) + 28
        let columnTitleWidth = SVG.textWidth(columnTitle, size: 11)
        let width =
            [
                scaleX + 14 + SVG.textWidth(scaleLabel, size: 10) + 12,
                12 + SVG.textWidth(title, size: 14, bold: true) + 12,
                12 + SVG.textWidth(rowTitle, size: 11) + 12, 12 + columnTitleWidth + 12,
            ].max() ?? 0
        var svg = SVG(width: width.rounded(.up), height: (rowTitleY + 12).rounded(.up))
        svg.text(title, x: 12, y: 20, size: 14, weight: "bold")
        // Centred over the plot where it fits there, else from the left edge.
        svg.text(
            columnTitle, x: max(left + plotW / 2, 12 + columnTitleWidth / 2), y: 40, size: 11, anchor: "middle")
        svg.text(rowTitle, x: 12, y: rowTitleY, size: 11)
        let rowEvery = max(1, Int((12 / cell).rounded(.up)))
        let columnEvery = max(1, Int((11 / cell).rounded(.up)))
        for (r, row) in values.enumerated() {
            let y = top + Double(r) * cell
            if r % rowEvery == 0, r < rowLabels.count {
                svg.text(rowLabels[r], x: left - 6, y: y + (cell + rowSize * 0.7) / 2, size: rowSize, anchor: "end")
            }
            for (c, value) in row.enumerated() {
                svg.rect(
                    x: left + Double(c) * cell, y: y, width: cell + 0.2, height: cell + 0.2,
                    fill: value.isFinite ? HeatMap.color(value) : HeatMap.noData)
            }
        }
        for (c, label) in columnLabels.enumerated() where c % columnEvery == 0 {
            let x = left + (Double(c) + 0.5) * cell + columnSize * 0.35
            svg.text(label, x: x, y: top - 6, size: columnSize, upward: true)
        }
        for k in 0..<20 {
            svg.rect(
                x: scaleX, y: top + Double(19 - k) * 6, width: 14, height: 6.3, fill: HeatMap.color(Double(k) / 19))
        }
        svg.text("1", x: scaleX + 18, y: top + 8, size: 10)
        svg.text("0", x: scaleX + 18, y: top + scaleHeight, size: 10)
        svg.text(scaleLabel, x: scaleX, y: top - 6, size: 10)
        return svg.text
    }
}
