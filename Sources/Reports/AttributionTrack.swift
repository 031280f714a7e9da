import Foundation

/// One fusion's attribution as a figure: the whole model input (head window, then tail window)
/// with both breakpoints marked and the top regions shaded, and a zoom of +-`zoom` nt around each
/// breakpoint with each base's letter scaled by its score (below the axis when negative).
public enum AttributionTrack {
    public struct Breakpoint {
        public let label: String
        /// Index in the model input of the breakpoint base.
        public let index: Int

        public init(label: String, index: Int) {
            self.label = label
            self.index = index
        }
    }

    /// - Parameters:
    ///   - scores: one per position of the model input.
    ///   - bases: the input's bases (ASCII), same length.
    ///   - top: positions in the top regions (shaded).
    ///   - junction: index where the tail window starts.
    public static func svg(
        title: String, subtitle: String, scores: [Float], bases: [UInt8], top: Set<Int>, junction: Int,
        breakpoints: [Breakpoint], zoom: Int = 200
    ) -> String {
        let width = 1000.0
        let left = 60.0
        let plotWidth = width - left - 20
        let overviewTop = 70.0
        let overviewHeight = 140.0
        let zoomTop = overviewTop + overviewHeight + 60
        let zoomHeight = 110.0
        var svg = SVG(width: width, height: zoomTop + Double(breakpoints.count) * (zoomHeight + 50) + 10)
        svg.text(title, x: left, y: 22, size: 16, weight: "bold")
        svg.text(subtitle, x: left, y: 40, size: 11, color: "#555")
        let n = max(1, scores.count)
        let largest = Double(scores.map { abs($0) }.max() ?? 1)
        let scale = largest > 0 ? largest : 1
        func x(_ i: Double) -> Double { left + i / Double(n) * plotWidth }

        // Overview: top regions shaded, then per-pixel minimum and maximum of the scores.
        let mid = overviewTop + overviewHeight / 2
        let pixels = Int(plotWidth)
        var shaded = Set<Int>()
        for i in top { shaded.insert(i * pixels / n) }
        for p in shaded.sorted() {
            svg.rect(
                x: left + Double(p), y: overviewTop, width: 1, height: overviewHeight, fill: "#F4A259", opacity: 0.35)
        }
        svg.signal(
            scores, x: left, y: overviewTop, width: plotWidth, height: overviewHeight, scale: scale, color: "#3D5A80")
        svg.line(
            x1: x(Double(junction)), y1: overviewTop - 6, x2: x(Double(junction)), y2: overviewTop + overviewHeight,
            stroke: "#222", width: 1.5)
        svg.text("head window", x: x(Double(junction) / 2), y: overviewTop - 8, size: 11, anchor: "middle")
        svg.text("tail window", x: x(Double(junction + n) / 2), y: overviewTop - 8, size: 11, anchor: "middle")
        for b in breakpoints {
            svg.line(
                x1: x(Double(b.index)), y1: overviewTop, x2: x(Double(b.index)), y2: overviewTop + overviewHeight,
                stroke: "#D62839", dash: "4,3")
            svg.text(
                b.label, x: x(Double(b.index)) + 3, y: overviewTop + overviewHeight + 14, size: 10, color: "#D62839")
        }
        svg.text(String(format: "%.3g", scale), x: left - 6, y: overviewTop + 8, size: 9, anchor: "end")
        svg.text(String(format: "%.3g", -scale), x: left - 6, y: overviewTop + overviewHeight, size: 9, anchor: "end")
        svg.text("FIS", x: 14, y: mid + 4, size: 11, anchor: "middle")
        svg.rect(x: left + plotWidth - 150, y: 30, width: 10, height: 10, fill: "#F4A259", opacity: 0.5)
        svg.text("top regions", x: left + plotWidth - 136, y: 39, size: 10)

        // Zooms: letters scaled by score around each breakpoint.
        for (z, b) in breakpoints.enumerated() {
            let top0 = zoomTop + Double(z) * (zoomHeight + 50)
            let from = max(0, b.index - zoom)
            let to = min(n, b.index + zoom + 1)
            let column = plotWidth / Double(max(1, to - from))
            let zmid = top0 + zoomHeight / 2
            let local = Double(scores[from..<to].map { abs($0) }.max() ?? 1)
            let zscale = local > 0 ? local : 1
            svg.text(
                "\(b.label): +-\(zoom) nt (positions \(from + 1)-\(to))", x: left, y: top0 - 8, size: 12, weight: "bold"
            )
            for i in from..<to {
                let v = Double(scores[i]) / zscale * zoomHeight / 2
                let letter = Character(Unicode.Scalar(bases[i]))
                let cx = left + Double(i - from) * column
                if v >= 0 {
                    svg.stretchedLetter(
                        letter, x: cx, baseline: zmid, width: column, height: v, color: BaseColors.color(letter))
                } else {
                    svg.stretchedLetter(
                        letter, x: cx, baseline: zmid - v, width: column, height: -v, color: BaseColors.color(letter))
                }
            }
            svg.line(x1: left, y1: zmid, x2: left + plotWidth, y2: zmid, stroke: "#999", width: 0.5)
            let bx = left + (Double(b.index - from) + 0.5) * column
            svg.line(x1: bx, y1: top0, x2: bx, y2: top0 + zoomHeight, stroke: "#D62839", dash: "3,3")
            if (from..<to).contains(junction) {
                let jx = left + Double(junction - from) * column
                svg.line(x1: jx, y1: top0, x2: jx, y2: top0 + zoomHeight, stroke: "#222", width: 1.5)
            }
            svg.text(String(format: "%.3g", zscale), x: left - 6, y: top0 + 8, size: 9, anchor: "end")
        }
        return svg.text
    }
}
