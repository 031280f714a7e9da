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

extension SequenceLogo {
    /// A contribution logo (a CWM, as TF-MoDISco draws it): at each position each base's letter as
    /// tall as its weight, positive weights stacked up from a zero line and negative ones down.
    /// - Parameter weights: `[width x 4]` (A, C, G, T).
    public static func contributionSVG(title: String, weights: [[Double]], subtitle: String = "") -> String {
        let column = 28.0
        let plotHeight = 140.0
        let left = 60.0
        let top = 40.0
        let up = max(weights.map { $0.filter { $0 > 0 }.reduce(0, +) }.max() ?? 0, 1e-12)
        let down = weights.map { -$0.filter { $0 < 0 }.reduce(0, +) }.max() ?? 0
        let scale = plotHeight / (up + down)
        let zero = top + up * scale
        var svg = SVG(width: left + Double(weights.count) * column + 16, height: top + plotHeight + 34)
        svg.text(title, x: left, y: 18, size: 14, weight: "bold")
        if !subtitle.isEmpty { svg.text(subtitle, x: left, y: 32, size: 10, color: "#555") }
        svg.line(x1: left - 4, y1: top, x2: left - 4, y2: top + plotHeight, stroke: "#333")
        for value in [up, 0, -down] where value == 0 || abs(value) > 1e-12 {
            let y = zero - value * scale
            svg.line(x1: left - 8, y1: y, x2: left - 4, y2: y, stroke: "#333")
            svg.text(String(format: "%.3g", value), x: left - 10, y: y + 4, size: 9, anchor: "end")
        }
        svg.line(
            x1: left - 4, y1: zero, x2: left + Double(weights.count) * column, y2: zero, stroke: "#999", width: 0.5)
        for (i, row) in weights.enumerated() {
            let x = left + Double(i) * column + 1
            var above = zero
            var below = zero
            // Smallest first, so the largest letter sits farthest from the zero line.
            for (w, letter) in zip(row, Array("ACGT")).sorted(by: { abs($0.0) < abs($1.0) }) {
                let h = abs(w) * scale
                if w > 0 {
                    svg.stretchedLetter(
                        letter, x: x, baseline: above, width: column - 2, height: h, color: BaseColors.color(letter))
                    above -= h
                } else if w < 0 {
                    // Drawn upright in the box below the line (a flipped glyph reads badly).
                    svg.stretchedLetter(
                        letter, x: x, baseline: below + h, width: column - 2, height: h,
                        color: BaseColors.color(letter))
                    below += h
                }
            }
            svg.text(
                "\(i + 1)", x: left + (Double(i) + 0.5) * column, y: top + plotHeight + 14, size: 9, anchor: "middle",
                color: "#555")
        }
        return svg.text
    }
}
