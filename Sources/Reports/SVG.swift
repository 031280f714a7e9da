import Foundation

/// A small SVG writer: elements appended as text, numbers printed compactly, text escaped.
public struct SVG {
    public let width: Double
    public let height: Double
    private var body: [String] = []

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// Formats a coordinate with at most two decimals.
    static func n(_ v: Double) -> String {
        let r = (v * 100).rounded() / 100
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    public mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, opacity: Double = 1) {
        let corner = "x=\"\(Self.n(x))\" y=\"\(Self.n(y))\""
        let box = "\(corner) width=\"\(Self.n(max(0, width)))\" height=\"\(Self.n(max(0, height)))\""
        let faded = opacity < 1 ? " fill-opacity=\"\(Self.n(opacity))\"" : ""
        body.append("<rect \(box) fill=\"\(fill)\"\(faded)/>")
    }

    public mutating func line(
        x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, dash: String? = nil
    ) {
        let ends = "x1=\"\(Self.n(x1))\" y1=\"\(Self.n(y1))\" x2=\"\(Self.n(x2))\" y2=\"\(Self.n(y2))\""
        let dashes = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        body.append("<line \(ends) stroke=\"\(stroke)\" stroke-width=\"\(Self.n(width))\"\(dashes)/>")
    }

    public mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 1) {
        let list = points.map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: " ")
        body.append(
            "<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(Self.n(width))\"/>")
    }

    /// - Parameter upward: run the text bottom to top, turned about `(x, y)` (an axis title or a
    ///   column label).
    public mutating func text(
        _ s: String, x: Double, y: Double, size: Double = 12, anchor: String = "start", color: String = "#222",
        weight: String = "normal", upward: Bool = false
    ) {
        let place = "x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" font-size=\"\(Self.n(size))\" text-anchor=\"\(anchor)\""
        let turn = upward ? " transform=\"rotate(-90 \(Self.n(x)) \(Self.n(y)))\"" : ""
        body.append("<text \(place)\(turn) fill=\"\(color)\" font-weight=\"\(weight)\">\(Self.escape(s))</text>")
    }

    /// A generous width for `s` at font `size` (Helvetica, or the wider DejaVu Sans that stands in for
    /// it on Linux), to leave room for text whose real extent only a renderer knows.
    public static func textWidth(_ s: String, size: Double, bold: Bool = false) -> Double {
        Double(s.count) * size * (bold ? 0.68 : 0.62)
    }

    /// A letter stretched to fill the box `[x, x + width] x [baseline - height, baseline]`, as
    /// sequence logos draw them (glyph cap height taken as 0.72 of the font size).
    public mutating func stretchedLetter(
        _ letter: Character, x: Double, baseline: Double, width: Double, height: Double, color: String
    ) {
        guard height > 0.05 else { return }
        let size = 100.0
        let capHeight = 72.0
        let advance = 60.0
        let sx = width / advance
        let sy = height / capHeight
        let scale = "scale(\(String(format: "%.4f", sx)),\(String(format: "%.4f", sy)))"
        let transform = "transform=\"translate(\(Self.n(x)),\(Self.n(baseline))) \(scale)\""
        let font = "font-family=\"Helvetica, Arial, sans-serif\" font-weight=\"bold\" font-size=\"\(Int(size))\""
        let fit = "textLength=\"\(Int(advance))\" lengthAdjust=\"spacingAndGlyphs\""
        // class="glyph": a letter drawn as a shape, which may touch its neighbours (scripts/check-figure.sh).
        body.append("<text class=\"glyph\" \(transform) \(font) fill=\"\(color)\" \(fit)>\(letter)</text>")
    }

    /// A signal of many more values than pixels, as one vertical line per pixel from the smallest
    /// to the largest value it covers, around a zero line at the box's middle; `scale` maps to half
    /// the box height.
    public mutating func signal(
        _ values: [Float], x: Double, y: Double, width: Double, height: Double, scale: Double, color: String
    ) {
        let n = max(1, values.count)
        let pixels = Int(width)
        let mid = y + height / 2
        for p in 0..<pixels {
            let from = p * n / pixels
            let to = max(from + 1, (p + 1) * n / pixels)
            guard from < values.count else { break }
            let slice = values[from..<min(to, values.count)]
            let hi = Double(slice.max() ?? 0)
            let lo = Double(slice.min() ?? 0)
            line(
                x1: x + Double(p) + 0.5, y1: mid - max(hi, 0) / scale * height / 2, x2: x + Double(p) + 0.5,
                y2: mid - min(lo, 0) / scale * height / 2, stroke: color)
        }
        line(x1: x, y1: mid, x2: x + width, y2: mid, stroke: "#999", width: 0.5)
    }

    /// The document.
    public var text: String {
        let size =
            "width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\""
        let root = "<svg xmlns=\"http://www.w3.org/2000/svg\" \(size) font-family=\"Helvetica, Arial, sans-serif\">\n"
        return root + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + body.joined(separator: "\n")
            + "\n</svg>\n"
    }
}

/// Base colours used by every figure (the usual logo palette).
public enum BaseColors {
    public static func color(_ base: Character) -> String {
        switch base {
        case "A": "#109648"
        case "C": "#255C99"
        case "G": "#F7B32B"
        case "T": "#D62839"
        default: "#888888"
        }
    }
}

/// Colours for categories: the Okabe-Ito palette, told apart by colour-blind readers too.
public enum Palette {
    public static let categorical = [
        "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
    ]
}
