import Foundation
import Fusions
import Reports
import Results
import Support

/// Writes one fusion's attribution: per-position TSV and `.npy`, bedGraph and bigWig tracks in genome
/// coordinates for each partner, and the top-scoring positions merged into BED regions.
public struct ExplainOutputs: Sendable {
    /// One row of the run's summary.
    public struct Summary: Sendable {
        public let id: String
        public let fusion: String
        public let probability: Float
        /// Mean distance (nt) of the top-1% positions to their partner's breakpoint.
        public let meanTopDistance: Double
        /// Share of the top-1% positions in the head window (the rest are in the tail).
        public let headShare: Double
        /// DeepLIFT methods: the scores' sum against the output's change; nil for other methods.
        public let completeness: Completeness?
    }

    /// DeepLIFT's completeness check: the sum of all contributions against the explained output at
    /// the input minus at the reference (mean over references). They agree up to rounding.
    public struct Completeness: Sendable {
        public let attributionSum: Double
        public let referenceDifference: Double

        public init(attributionSum: Double, referenceDifference: Double) {
            self.attributionSum = attributionSum
            self.referenceDifference = referenceDifference
        }
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
    ///   - hypothetical: DeepLIFT's `[positions x 4]` hypothetical contributions, written as `ID.hyp.npy`.
    ///   - completeness: DeepLIFT's completeness check, for the summary.
    public func write(
        id: String, record: FusionRecord, head: WindowCoordinates, tail: WindowCoordinates,
        bases: (head: [UInt8], tail: [UInt8]), cropStart: Int, scores: [Float], probability: Float,
        method: AttributionMethod,
        extraColumns: [ExtraColumn] = [], matrix: [Float]? = nil, hypothetical: [Float]? = nil,
        completeness: Completeness? = nil
    ) throws -> Summary {
        let layout = Layout(
            parts: [
                Part(name: "head", coordinates: head, bases: bases.head),
                Part(name: "tail", coordinates: tail, bases: bases.tail),
            ], windowLength: scores.count / 2, cropStart: cropStart)
        let files = ExplainFolder(path: folder)
        try writeScoreTable(id: id, layout: layout, scores: scores, extraColumns: extraColumns, files: files)
        try save(NumpyArray.float32(scores, shape: [scores.count]), files.scoreArray(id))
        if let matrix { try save(NumpyArray.float32(matrix, shape: [scores.count, 4]), files.ismMatrix(id)) }
        if let hypothetical {
            try save(NumpyArray.float32(hypothetical, shape: [scores.count, 4]), files.hypotheticalContributions(id))
        }
        try writeBedGraphs(id: id, record: record, layout: layout, scores: scores, method: method, files: files)
        let top = try writeTopRegions(id: id, layout: layout, scores: scores, files: files)

        // Figure: whole input with breakpoints and the first top fraction shaded, zooms around each breakpoint.
        let w = layout.windowLength
        let view = Array(bases.head[cropStart..<(cropStart + w)]) + Array(bases.tail[cropStart..<(cropStart + w)])
        let headIndex = WindowRule.breakpointIndex(strand: head.strand) - cropStart
        let tailIndex = w + WindowRule.breakpointIndex(strand: tail.strand) - cropStart
        let figure = AttributionTrack.svg(
            title: "\(record.name)  P(fusion-positive) = \(String(format: "%.4f", probability))",
            subtitle: "\(id); \(method.rawValue); head \(head.chromosome):\(head.breakpoint):\(head.strand.symbol), "
                + "tail \(tail.chromosome):\(tail.breakpoint):\(tail.strand.symbol); "
                + "shaded: \(topFractions.first.map { Self.label($0) } ?? "none")",
            scores: scores, bases: view, top: top.shaded, junction: w,
            breakpoints: [
                .init(label: "head breakpoint", index: headIndex), .init(label: "tail breakpoint", index: tailIndex),
            ].filter { $0.index >= 0 && $0.index < scores.count })
        try save(figure, files.figure(id))
        return Summary(
            id: id, fusion: record.name, probability: probability, meanTopDistance: top.meanDistance,
            headShare: top.headShare, completeness: completeness)
    }

    /// One partner's window as explain saw it.
    private struct Part {
        let name: String
        let coordinates: WindowCoordinates
        let bases: [UInt8]
    }

    /// Where score `k` lies: its partner, its index in that partner's window, and its genome position.
    private struct Place {
        let part: Int
        let index: Int
        let position: Int?
    }

    /// The scores' layout: the head window's `windowLength` values, then the tail's, each from `cropStart`.
    private struct Layout {
        let parts: [Part]
        let windowLength: Int
        let cropStart: Int

        func place(_ k: Int) -> Place {
            let part = k < windowLength ? 0 : 1
            let index = cropStart + (k - part * windowLength)
            return Place(part: part, index: index, position: parts[part].coordinates.position(ofIndex: index))
        }
    }

    /// What the first top fraction says about where the high scores are.
    private struct TopSummary {
        var shaded = Set<Int>()
        var meanDistance = 0.0
        var headShare = 0.0
    }

    /// `ID.fis.tsv`: one row per position.
    private func writeScoreTable(
        id: String, layout: Layout, scores: [Float], extraColumns: [ExtraColumn], files: ExplainFolder
    ) throws {
        var tsv = FISTable.schema.header(extra: extraColumns.map(\.name))
        for k in 0..<scores.count {
            let place = layout.place(k)
            let part = layout.parts[place.part]
            let fields = [
                "\(k + 1)", part.name, "\(place.index + 1)", part.coordinates.chromosome,
                place.position.map(String.init) ?? "NA", String(Character(Unicode.Scalar(part.bases[place.index]))),
                "\(scores[k])",
            ]
            tsv += FISTable.schema.line(fields + extraColumns.map { "\($0.values[k])" })
        }
        try save(tsv, files.scoreTable(id))
    }

    /// bedGraph and bigWig tracks, one per partner, in ascending genome order whatever the strand.
    private func writeBedGraphs(
        id: String, record: FusionRecord, layout: Layout, scores: [Float], method: AttributionMethod,
        files: ExplainFolder
    ) throws {
        let w = layout.windowLength
        for (index, part) in layout.parts.enumerated() {
            let coords = part.coordinates
            let rows = ((index * w)..<((index + 1) * w)).compactMap { k in
                layout.place(k).position.map { ScoredPosition(position: $0, score: scores[k]) }
            }.sorted { $0.position < $1.position }
            // A track line's values are quoted with no escape: a quote in a gene name would end them.
            let unquoted = { (text: String) in text.replacingOccurrences(of: "\"", with: "'") }
            var text =
                "track type=bedGraph name=\"\(unquoted(id)) \(part.name) FIS (\(method.rawValue))\" "
                + "description=\"\(unquoted(record.name)) \(part.name) "
                + "\(unquoted(coords.chromosome)):\(coords.breakpoint):\(coords.strand.symbol)\" "
                + "visibility=full autoScale=on\n"
            for row in rows { text += "\(coords.chromosome)\t\(row.position - 1)\t\(row.position)\t\(row.score)\n" }
            try save(text, files.bedGraph(id, part: part.name))
            // The same values as bigWig; without the genome's length, the window's end stands in.
            try BigWigTrack.write(
                chromosome: coords.chromosome, chromosomeLength: coords.chromosomeLength ?? (rows.last?.position ?? 1),
                positions: rows.map(\.position), values: rows.map(\.score), to: files.bigWig(id, part: part.name))
        }
    }

    private struct ScoredPosition {
        let position: Int
        let score: Float
    }

    /// Top regions: the highest-scoring positions of each fraction, merged where adjacent in the
    /// genome, as BED and as a table with the distance to the breakpoint.
    private func writeTopRegions(id: String, layout: Layout, scores: [Float], files: ExplainFolder) throws
        -> TopSummary
    {
        let w = layout.windowLength
        let ranked = scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        var bed = ""
        var table = TopRegionsTable.schema.header()
        var summary = TopSummary()
        for fraction in topFractions {
            let count = max(1, Int((Double(scores.count) * fraction).rounded()))
            let top = ranked.prefix(count)
            let label = Self.label(fraction)
            if fraction == topFractions.first {
                summary.shaded = Set(top)
                let distances = top.compactMap { k -> Double? in
                    let place = layout.place(k)
                    return place.position.map { Double(abs($0 - layout.parts[place.part].coordinates.breakpoint)) }
                }
                summary.meanDistance = distances.isEmpty ? .nan : distances.reduce(0, +) / Double(distances.count)
                summary.headShare = Double(top.filter { $0 < w }.count) / Double(top.count)
            }
            for (index, part) in layout.parts.enumerated() {
                let coords = part.coordinates
                let positions = top.filter { ($0 < w) == (index == 0) }.compactMap { k in
                    layout.place(k).position.map { ScoredPosition(position: $0, score: scores[k]) }
                }.sorted { $0.position < $1.position }
                var i = 0
                while i < positions.count {
                    var j = i
                    while j + 1 < positions.count, positions[j + 1].position == positions[j].position + 1 { j += 1 }
                    let start = positions[i].position
                    let end = positions[j].position
                    let mean = positions[i...j].reduce(Float(0)) { $0 + $1.score } / Float(j - i + 1)
                    let distance =
                        start <= coords.breakpoint && coords.breakpoint <= end
                        ? 0 : min(abs(start - coords.breakpoint), abs(end - coords.breakpoint))
                    // BED score: the region's mean FIS against the highest, 0-1000.
                    let shade = min(1000, max(0, Int(mean * 1000 / max(scores[ranked[0]], 1e-12))))
                    bed +=
                        "\(coords.chromosome)\t\(start - 1)\t\(end)\t\(id)|\(part.name)|\(label)|d=\(distance)\t"
                        + "\(shade)\t\(coords.strand.symbol)\n"
                    table += TopRegionsTable.schema.line([
                        label, part.name, coords.chromosome, "\(start - 1)", "\(end)", coords.strand.symbol,
                        "\(j - i + 1)", "\(mean)", "\(distance)",
                    ])
                    i = j + 1
                }
            }
        }
        try save(bed, files.topBED(id))
        try save(table, files.topRegions(id))
        return summary
    }

    /// How a top fraction is named in every output: `top1%`, `top0.5%`, `top7%` for 0.07 (whose
    /// product with 100 is 7.000000000000001 in binary floating point: six significant digits).
    static func label(_ fraction: Double) -> String {
        "top" + String(format: "%.6g", fraction * 100) + "%"
    }

    private func save(_ text: String, _ path: String) throws {
        try OutputFile.write(text, to: path)
    }

    private func save(_ bytes: [UInt8], _ path: String) throws {
        try OutputFile.write(bytes, to: path)
    }
}
