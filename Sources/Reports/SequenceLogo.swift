import Foundation

/// A sequence logo: at each position the letters stacked by probability x information content
/// (bits), largest on top, on a 0-2 bit axis.
public enum SequenceLogo {
    /// - Parameter probabilities: `[width x 4]` (A, C, G, T).
    public static func svg(title: String, probabilities: [[Double]], subtitle: String = "") -> String {
        let column = 28.0
        let plotHeight = 120.0
        let left = 44.0
        let top = 40.0
        var svg = SVG(width: left + Double(probabilities.count) * column + 16, height: top + plotHeight + 34)
        svg.text(title, x: left, y: 18, size: 14, weight: "bold")
        if !subtitle.isEmpty { svg.text(subtitle, x: left, y: 32, size: 10, color: "#555") }
        // Axis: 0, 1, 2 bits.
        svg.line(x1: left - 4, y1: top, x2: left - 4, y2: top + plotHeight, stroke: "#333")
        for bits in 0...2 {
            let y = top + plotHeight - Double(bits) / 2 * plotHeight
            svg.line(x1: left - 8, y1: y, x2: left - 4, y2: y, stroke: "#333")
            svg.text("\(bits)", x: left - 10, y: y + 4, size: 10, anchor: "end")
        }
        svg.text("bits", x: 12, y: top + plotHeight / 2, size: 10, anchor: "middle")
        for (i, row) in probabilities.enumerated() {
            let ic = max(0, 2 + row.reduce(0) { $0 + ($1 > 0 ? $1 * log2($1) : 0) })
            var baseline = top + plotHeight
            for (p, letter) in zip(row, Array("ACGT")).sorted(by: { $0.0 < $1.0 }) {
                let h = p * ic / 2 * plotHeight
                svg.stretchedLetter(
                    letter, x: left + Double(i) * column + 1, baseline: baseline, width: column - 2, height: h,
                    color: BaseColors.color(letter))
                baseline -= h
            }
            svg.text(
                "\(i + 1)", x: left + (Double(i) + 0.5) * column, y: top + plotHeight + 14, size: 9, anchor: "middle",
                color: "#555")
        }
        return svg.text
    }
}
