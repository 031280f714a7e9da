/// One fusion's feature-importance scores with its feature intervals under them, one strip per
/// feature, along the model input, on the horizontal scale of ``AttributionTrack``'s overview.
public enum FeatureTrackStrips {
    public struct Track {
        public let label: String
        public let group: String
        /// Covered input positions, half-open ranges in `0..<length`.
        public let segments: [Range<Int>]

        public init(label: String, group: String, segments: [Range<Int>]) {
            self.label = label
            self.group = group
            self.segments = segments
        }
    }

    /// - Parameters:
    ///   - length: positions of the model input.
    ///   - junction: index where the tail window starts.
    ///   - scores: one per position (`length`), drawn above the strips; none when nil.
    ///   - breakpoints: indices of the breakpoint bases, with labels.
    public static func svg(
        title: String, length: Int, junction: Int, scores: [Float]?, breakpoints: [AttributionTrack.Breakpoint],
        tracks: [Track]
    ) -> String {
        // Same margins as AttributionTrack's overview.
        let width = 1000.0
        let left = 60.0
        let plotWidth = width - left - 20
        let signalTop = 36.0
        let signalHeight = scores == nil ? 0.0 : 90.0
        let top = signalTop + signalHeight + (scores == nil ? 4 : 10)
        let rowHeight = 24.0
        let barHeight = 10.0
        var svg = SVG(width: width, height: top + Double(tracks.count) * rowHeight + 24)
        svg.text(title, x: left, y: 20, size: 13, weight: "bold")
        func x(_ i: Int) -> Double { left + Double(i) / Double(max(1, length)) * plotWidth }
        if let scores {
            let largest = Double(scores.map { abs($0) }.max() ?? 0)
            let scale = largest > 0 ? largest : 1
            svg.signal(
                scores, x: left, y: signalTop, width: plotWidth, height: signalHeight, scale: scale, color: "#3D5A80")
            svg.text("FIS", x: 14, y: signalTop + signalHeight / 2 + 4, size: 11, anchor: "middle")
            svg.text(String(format: "%.3g", scale), x: left - 6, y: signalTop + 8, size: 9, anchor: "end")
            svg.text(String(format: "%.3g", -scale), x: left - 6, y: signalTop + signalHeight, size: 9, anchor: "end")
        }
        let groups = tracks.map(\.group).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        for (row, track) in tracks.enumerated() {
            let y = top + Double(row) * rowHeight
            let colour = Palette.categorical[(groups.firstIndex(of: track.group) ?? 0) % Palette.categorical.count]
            let covered = track.segments.reduce(0) { $0 + $1.count }
            svg.text("\(track.label) (\(track.group)): \(covered) nt", x: left, y: y + 8, size: 9, color: "#444")
            svg.rect(x: left, y: y + 11, width: plotWidth, height: barHeight, fill: "#EEEEEE")
            for segment in track.segments {
                // At least one pixel wide, so a 1-nt feature stays visible.
                svg.rect(
                    x: x(segment.lowerBound), y: y + 11, width: max(1, x(segment.upperBound) - x(segment.lowerBound)),
                    height: barHeight, fill: colour)
            }
        }
        let bottom = top + Double(tracks.count) * rowHeight
        svg.line(x1: x(junction), y1: signalTop, x2: x(junction), y2: bottom, stroke: "#222", width: 1.5)
        for b in breakpoints {
            svg.line(x1: x(b.index), y1: signalTop, x2: x(b.index), y2: bottom, stroke: "#D62839", dash: "4,3")
            svg.text(b.label, x: x(b.index) + 3, y: bottom + 12, size: 10, color: "#D62839")
        }
        if tracks.isEmpty { svg.text("no feature tracks", x: left, y: top + 12, size: 11, color: "#888") }
        return svg.text
    }
}
