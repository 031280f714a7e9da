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
        body.append(
            "<rect x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(max(0, width)))\" height=\"\(Self.n(max(0, height)))\" fill=\"\(fill)\"\(opacity < 1 ? " fill-opacity=\"\(Self.n(opacity))\"" : "")/>"
        )
    }

    public mutating func line(
        x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, dash: String? = nil
    ) {
        body.append(
            "<line x1=\"\(Self.n(x1))\" y1=\"\(Self.n(y1))\" x2=\"\(Self.n(x2))\" y2=\"\(Self.n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.n(width))\"\(dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")/>"
        )
    }

    public mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 1) {
        let list = points.map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: " ")
        body.append(
            "<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(Self.n(width))\"/>")
    }

    public mutating func text(
        _ s: String, x: Double, y: Double, size: Double = 12, anchor: String = "start", color: String = "#222",
        weight: String = "normal"
    ) {
        body.append(
            "<text x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" font-size=\"\(Self.n(size))\" text-anchor=\"\(anchor)\" fill=\"\(color)\" font-weight=\"\(weight)\">\(Self.escape(s))</text>"
        )
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
        body.append(
            "<text transform=\"translate(\(Self.n(x)),\(Self.n(baseline))) scale(\(String(format: "%.4f", sx)),\(String(format: "%.4f", sy)))\" font-family=\"Helvetica, Arial, sans-serif\" font-weight=\"bold\" font-size=\"\(Int(size))\" fill=\"\(color)\" textLength=\"\(Int(advance))\" lengthAdjust=\"spacingAndGlyphs\">\(letter)</text>"
        )
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
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" font-family=\"Helvetica, Arial, sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
            + body.joined(separator: "\n") + "\n</svg>\n"
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
