import Foundation
import Fusions
import Reports
import Results
import Support

/// Writes one fusion's attribution: per-position TSV and `.npy`, bedGraph tracks in genome
/// coordinates for each partner, and the top-scoring positions merged into BED regions.
public struct ExplainOutputs {
    /// One row of the run's summary.
    public struct Summary: Sendable {
        public let id: String
        public let fusion: String
        public let probability: Float
        /// Mean distance (nt) of the top-1% positions to their partner's breakpoint.
        public let meanTopDistance: Double
        /// Share of the top-1% positions in the head window (the rest are in the tail).
        public let headShare: Double
    }

    /// A per-position value written after the score in `ID.fis.tsv`.
    public struct ExtraColumn: Sendable {
        public let name: String
        /// One value per score.
        public let values: [Float]

        public init(name: String, values: [Float]) {
            self.name = name
            self.values = values
        }
    }

    public let folder: String
    /// Fractions of positions called top regions (0.01 and 0.1 by default).
    public let topFractions: [Double]

    public init(folder: String, topFractions: [Double] = [0.01, 0.1]) {
        self.folder = folder
        self.topFractions = topFractions
    }

    /// - Parameters:
    ///   - scores: FIS, head window then tail window (each `windowLength` values, starting at `cropStart`).
    ///   - bases: the model's view of the head and tail windows (for the TSV).
    ///   - extraColumns: more per-position values for the TSV (ISM's max |ΔP|).
    ///   - matrix: a `[positions x 4]` array written as `ID.ism.npy`.
    public func write(
        id: String, record: FusionRecord, head: WindowCoordinates, tail: WindowCoordinates,
        bases: (head: [UInt8], tail: [UInt8]), cropStart: Int, scores: [Float], probability: Float,
        method: AttributionMethod,
        extraColumns: [ExtraColumn] = [], matrix: [Float]? = nil
    ) throws -> Summary {
        let w = scores.count / 2
        let sides = [(head, "head", bases.head), (tail, "tail", bases.tail)]
        func coordinates(_ k: Int) -> (side: Int, index: Int, position: Int?) {
            let side = k < w ? 0 : 1
            let index = cropStart + (k - side * w)
            return (side, index, sides[side].0.position(ofIndex: index))
        }

        // Per-position table.
        let files = ExplainFolder(path: folder)
        var tsv = FISTable.schema.header(extra: extraColumns.map(\.name))
        for k in 0..<scores.count {
            let c = coordinates(k)
            let base = sides[c.side].2[c.index]
            let fields = [
                "\(k + 1)", sides[c.side].1, "\(c.index + 1)", sides[c.side].0.chromosome,
                c.position.map(String.init) ?? "NA", String(Character(Unicode.Scalar(base))), "\(scores[k])",
            ]
            tsv += FISTable.schema.line(fields + extraColumns.map { "\($0.values[k])" })
        }
        try save(tsv, files.scoreTable(id))
        try save(NumpyArray.float32(scores, shape: [scores.count]), files.scoreArray(id))
        if let matrix { try save(NumpyArray.float32(matrix, shape: [scores.count, 4]), files.ismMatrix(id)) }

        // bedGraph tracks, ascending genome order whatever the strand.
        for (side, (coords, part, _)) in sides.enumerated() {
            var rows: [(Int, Float)] = []
            for k in (side * w)..<((side + 1) * w) {
                if let p = coordinates(k).position { rows.append((p, scores[k])) }
            }
            rows.sort { $0.0 < $1.0 }
            var text =
                "track type=bedGraph name=\"\(id) \(part) FIS (\(method.rawValue))\" "
                + "description=\"\(record.name) \(part) "
                + "\(coords.chromosome):\(coords.breakpoint):\(coords.strand.symbol)\" "
                + "visibility=full autoScale=on\n"
            for (p, v) in rows { text += "\(coords.chromosome)\t\(p - 1)\t\(p)\t\(v)\n" }
            try save(text, files.bedGraph(id, part: part))
        }

        // Top regions: the highest-scoring positions, merged where adjacent in the genome.
        let ranked = scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        var bed = ""
        var table = TopRegionsTable.schema.header()
        var meanTopDistance = 0.0
        var headShare = 0.0
        var shaded = Set<Int>()
        for fraction in topFractions {
            let count = max(1, Int((Double(scores.count) * fraction).rounded()))
            let top = ranked.prefix(count)
            let label = Self.label(fraction)
            if fraction == topFractions.first {
                shaded = Set(top)
                let distances = top.compactMap { k -> Double? in
                    let c = coordinates(k)
                    return c.position.map { Double(abs($0 - sides[c.side].0.breakpoint)) }
                }
                meanTopDistance = distances.isEmpty ? .nan : distances.reduce(0, +) / Double(distances.count)
                headShare = Double(top.filter { $0 < w }.count) / Double(top.count)
            }
            for side in 0..<2 {
                let coords = sides[side].0
                let positions = top.filter { ($0 < w) == (side == 0) }.compactMap { k in
                    coordinates(k).position.map { ($0, scores[k]) }
                }.sorted { $0.0 < $1.0 }
                var i = 0
                while i < positions.count {
                    var j = i
                    while j + 1 < positions.count, positions[j + 1].0 == positions[j].0 + 1 { j += 1 }
                    let start = positions[i].0
                    let end = positions[j].0
                    let mean = positions[i...j].reduce(Float(0)) { $0 + $1.1 } / Float(j - i + 1)
                    let distance =
                        start <= coords.breakpoint && coords.breakpoint <= end
                        ? 0 : min(abs(start - coords.breakpoint), abs(end - coords.breakpoint))
                    // BED score: the region's mean FIS against the highest, 0-1000.
                    let shade = min(1000, max(0, Int(mean * 1000 / max(scores[ranked[0]], 1e-12))))
                    bed +=
                        "\(coords.chromosome)\t\(start - 1)\t\(end)\t\(id)|\(sides[side].1)|\(label)|d=\(distance)\t"
                        + "\(shade)\t\(coords.strand.symbol)\n"
                    table += TopRegionsTable.schema.line([
                        label, sides[side].1, coords.chromosome, "\(start - 1)", "\(end)", coords.strand.symbol,
                        "\(j - i + 1)", "\(mean)", "\(distance)",
                    ])
                    i = j + 1
                }
            }
        }
        try save(bed, files.topBED(id))
        try save(table, files.topRegions(id))

        // Figure: whole input with breakpoints and the first top fraction shaded, zooms around each breakpoint.
        let view = Array(bases.head[cropStart..<(cropStart + w)]) + Array(bases.tail[cropStart..<(cropStart + w)])
        let headIndex = WindowRule.breakpointIndex(strand: head.strand) - cropStart
        let tailIndex = w + WindowRule.breakpointIndex(strand: tail.strand) - cropStart
        let figure = AttributionTrack.svg(
            title: "\(record.name)  P(fusion-positive) = \(String(format: "%.4f", probability))",
            subtitle: "\(id); \(method.rawValue); head \(head.chromosome):\(head.breakpoint):\(head.strand.symbol), "
                + "tail \(tail.chromosome):\(tail.breakpoint):\(tail.strand.symbol); "
                + "shaded: \(topFractions.first.map { Self.label($0) } ?? "none")",
            scores: scores, bases: view, top: shaded, junction: w,
            breakpoints: [
                .init(label: "head breakpoint", index: headIndex), .init(label: "tail breakpoint", index: tailIndex),
            ].filter { $0.index >= 0 && $0.index < scores.count })
        try save(figure, files.figure(id))
        return Summary(
            id: id, fusion: record.name, probability: probability, meanTopDistance: meanTopDistance,
            headShare: headShare)
    }

    /// How a top fraction is named in every output: `top1%`, `top0.5%`.
    static func label(_ fraction: Double) -> String {
        let percent = fraction * 100
        return "top" + (percent == percent.rounded() ? String(Int(percent)) : String(percent)) + "%"
    }

    private func save(_ text: String, _ path: String) throws {
        try OutputFile.write(text, to: path)
    }

    private func save(_ bytes: [UInt8], _ path: String) throws {
        try OutputFile.write(bytes, to: path)
    }
}
