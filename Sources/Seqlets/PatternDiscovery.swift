import COpenBLAS
import Foundation
import SeededRandom
import Support

/// A seqlet kept for discovery: its hypothetical contributions and bases over the seqlet and
/// ``PatternDiscovery/padding`` positions either side (zeros and `N` past its part's ends).
public struct SeqletWindow: Sendable {
    /// `[positions x 4]` (A, C, G, T).
    public let hypothetical: [Float]
    /// Uppercase A, C, G, T or N.
    public let bases: [UInt8]

    public init(hypothetical: [Float], bases: [UInt8]) {
        self.hypothetical = hypothetical
        self.bases = bases
    }

    /// The window of `seqlet` in `fusion` with `padding` positions either side.
    public init(_ seqlet: Seqlet, in fusion: ExplainedFusion, padding: Int) {
        let offset = fusion.offset(part: seqlet.part)
        let count = fusion.parts[seqlet.part].count
        var hyp: [Float] = []
        var bases: [UInt8] = []
        let span = (seqlet.start - padding)..<(seqlet.end + padding)
        hyp.reserveCapacity(span.count * 4)
        bases.reserveCapacity(span.count)
        for k in span {
            if k >= 0, k < count {
                hyp += fusion.hypothetical[((offset + k) * 4)..<((offset + k) * 4 + 4)]
                bases.append(fusion.bases[offset + k])
            } else {
                hyp += [0, 0, 0, 0]
                bases.append(UInt8(ascii: "N"))
            }
        }
        self.init(hypothetical: hyp, bases: bases)
    }
}

/// A motif found in seqlets of one sign.
public struct Pattern: Sendable {
    public let name: String
    public let sign: Seqlet.Sign
    /// Seqlets aligned into it.
    public let seqlets: Int
    /// Trimmed `[width][4]` contribution-weight matrix: per position and base, the summed
    /// contribution of the aligned seqlets with that base there, over all aligned seqlets.
    public let cwm: [[Double]]
    /// Trimmed `[width][4]` base frequencies of the aligned seqlets covering each position.
    public let pwm: [[Double]]
    /// Aligned seqlets covering each trimmed position with a base.
    public let support: [Int]

    /// Information content of each PWM position, bits.
    public var informationContent: [Double] {
        pwm.map { row in 2 + row.reduce(0) { $0 + ($1 > 0 ? $1 * log2($1) : 0) } }
    }

    /// Per position the most frequent base, or N where the position carries under 0.5 bits.
    public var consensus: String {
        String(
            zip(pwm, informationContent).map { row, ic in
                ic < 0.5 ? "N" : Array("ACGT")[row.indices.max { row[$0] < row[$1] } ?? 0]
            })
    }
}

/// Motif discovery from seqlets of one sign, a simplified TF-MoDISco: seqlets compared by the
/// Pearson correlation of their hypothetical contributions at the best offset and strand,
/// clustered greedily from the densest seeds, aligned to the cluster, and summarised as a
/// contribution-weight matrix and a PWM with support counts, trimmed to where contribution lies.
///
/// The clustering rule: similarity is `max over offsets |d| <= padding and both strands` of the
/// correlation between a seqlet and a template's window at that offset. Each seqlet's density is
/// the number of seqlets of a seeded panel (all of them when there are few) at least
/// ``similarity`` from it. The densest unused panel seqlet seeds a cluster: every unassigned
/// seqlet at least ``similarity`` from the template joins it, aligned, and the template becomes
/// the members' mean, ``refinements`` times. A cluster of at least ``minSeqlets`` becomes a
/// pattern and its seqlets leave the pool; seeds are tried until none is dense enough.
public struct PatternDiscovery: Sendable {
    /// Length of the seqlets compared (window + 2 flanks).
    public var seqletLength: Int
    /// Positions kept either side of each seqlet, the largest offset tried in alignment.
    public var padding = 10
    /// Correlation at which a seqlet joins a template. Above 1/sqrt(2): a template made of two
    /// equally strong motifs side by side (a seed seqlet that caught both) correlates 0.71 with a
    /// seqlet carrying only one of them, and at 0.6 such seeds merged two motifs (measured on 1,000
    /// synthetic fusions; 0.7 and 0.75 kept them apart).
    public var similarity: Float = 0.75
    /// Seqlets a pattern needs.
    public var minSeqlets = 20
    /// Seqlets whose densities are counted against each other (the cost is its square).
    public var panelSize = 2_000
    public var maxPatterns = 30
    /// Times a cluster's template is replaced by its members' mean and the members chosen again.
    public var refinements = 3
    /// Positions whose summed |CWM| is under this fraction of the largest are trimmed from the ends.
    public var trimThreshold = 0.3
    public var seed: UInt64 = 1
    public var threads = 1

    /// The default settings, for seqlets of the default caller's length.
    public static let defaults = PatternDiscovery(
        seqletLength: SeqletCaller().window + 2 * SeqletCaller().flank)

    public init(seqletLength: Int) {
        self.seqletLength = seqletLength
    }

    /// Positions of a stored window: the seqlet and its padding.
    public var windowLength: Int { seqletLength + 2 * padding }

    /// How a seqlet lies against a template: offset `d` of its window on the template's frame, on
    /// the template's strand or the other.
    struct Alignment: Sendable, Equatable {
        let offset: Int
        let reverse: Bool
    }

    /// A cluster member: the seqlet's index and alignment.
    struct Member: Sendable {
        let index: Int
        let alignment: Alignment
    }

    /// The patterns of `windows` (all of one sign), named `PREFIX_pattern_N` by size.
    /// - Precondition: every window is ``windowLength`` positions.
    public func discover(_ windows: [SeqletWindow], sign: Seqlet.Sign) -> [Pattern] {
        precondition(windows.allSatisfy { $0.bases.count == windowLength }, "seqlet windows of another length")
        _ = Self.singleThreadedBLAS
        guard windows.count >= max(1, minSeqlets) else { return [] }
        let cores = Matrix(rows: windows.map { centred(core($0.hypothetical)) }, width: seqletLength * 4)
        var rng = SeededGenerator(seed: seed)
        var order = Array(windows.indices)
        rng.shuffle(&order)
        let panel = Array(order.prefix(panelSize)).sorted()
        let density = panelDensity(panel, windows: windows, cores: cores)
        let minDensity = max(2, Int((Double(minSeqlets) * Double(panel.count) / Double(windows.count)).rounded(.up)))
        var assigned = [Bool](repeating: false, count: windows.count)
        var tried = [Bool](repeating: false, count: panel.count)
        var clusters: [[Member]] = []
        while clusters.count < maxPatterns {
            let candidates = panel.indices.filter { !tried[$0] && !assigned[panel[$0]] && density[$0] >= minDensity }
            guard let s = candidates.max(by: { density[$0] < density[$1] || (density[$0] == density[$1] && $0 > $1) })
            else { break }
            tried[s] = true
            var template = windows[panel[s]].hypothetical
            var members: [Member] = []
            for _ in 0...refinements {
                members = hits([template], cores: cores)[0].enumerated().compactMap { i, hit in
                    !assigned[i] && hit.similarity >= similarity ? Member(index: i, alignment: hit.alignment) : nil
                }
                guard members.count >= minSeqlets else { break }
                template = aggregate(members, windows: windows).hypothetical
            }
            guard members.count >= minSeqlets else { continue }
            for m in members { assigned[m.index] = true }
            clusters.append(members)
        }
        let prefix = sign == .positive ? "pos" : "neg"
        return clusters.sorted { $0.count > $1.count }.enumerated().map { n, members in
            pattern(members, windows: windows, name: "\(prefix)_pattern_\(n + 1)", sign: sign)
        }
    }

    // MARK: Similarity

    /// Row-major `[rows x width]` floats.
    struct Matrix {
        var values: [Float]
        let width: Int
        var rows: Int { width == 0 ? 0 : values.count / width }

        init(rows: [[Float]], width: Int) {
            values = Array(rows.joined())
            self.width = width
        }
    }

    /// The seqlet's own positions of a window (padding dropped).
    func core(_ hypothetical: [Float]) -> [Float] {
        Array(hypothetical[(padding * 4)..<((padding + seqletLength) * 4)])
    }

    /// Centred and scaled to unit length, so dot products are Pearson correlations (all zero when flat).
    func centred(_ v: [Float]) -> [Float] {
        let mean = v.reduce(0, +) / Float(max(1, v.count))
        let c = v.map { $0 - mean }
        let norm = c.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? c.map { $0 / norm } : c
    }

    /// The template's windows at every offset and strand, centred: `2 * (2 * padding + 1)` rows.
    func slices(_ template: [Float]) -> [[Float]] {
        let n = windowLength
        let reversed = (0..<n).flatMap { m in (0..<4).map { c in template[(n - 1 - m) * 4 + 3 - c] } }
        return [template, reversed].flatMap { t in
            (0...(2 * padding)).map { start in centred(Array(t[(start * 4)..<((start + seqletLength) * 4)])) }
        }
    }

    func alignment(ofSlice k: Int) -> Alignment {
        let offsets = 2 * padding + 1
        return Alignment(offset: k % offsets - padding, reverse: k >= offsets)
    }

    struct Hit: Sendable {
        let similarity: Float
        let alignment: Alignment
    }

    /// For each template, every seqlet's best correlation with it and where (one GEMM per row block).
    func hits(_ templates: [[Float]], cores: Matrix) -> [[Hit]] {
        let per = 2 * (2 * padding + 1)
        let a = Matrix(rows: templates.flatMap(slices), width: cores.width)
        let columns = a.rows
        let blockRows = 1_024
        let blocks = (cores.rows + blockRows - 1) / blockRows
        let results = parallelMap(count: blocks, threads: threads) { b -> [[Hit]] in
            let first = b * blockRows
            let rows = min(blockRows, cores.rows - first)
            var g = [Float](repeating: 0, count: rows * columns)
            cores.values.withUnsafeBufferPointer { c in
                a.values.withUnsafeBufferPointer { s in
                    g.withUnsafeMutableBufferPointer { out in
                        guard let c = c.baseAddress, let s = s.baseAddress, let out = out.baseAddress else { return }
                        cblas_sgemm(
                            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(columns), Int32(cores.width),
                            1, c + first * cores.width, Int32(cores.width), s, Int32(cores.width), 0, out,
                            Int32(columns))
                    }
                }
            }
            return (0..<rows).map { r in
                templates.indices.map { t in
                    var k = 0
                    for j in 1..<per where g[r * columns + t * per + j] > g[r * columns + t * per + k] { k = j }
                    return Hit(similarity: g[r * columns + t * per + k], alignment: alignment(ofSlice: k))
                }
            }
        }
        let perRow = results.flatMap { $0 }
        return templates.indices.map { t in perRow.map { $0[t] } }
    }

    /// For each panel seqlet, the panel seqlets at least ``similarity`` from it (itself included).
    func panelDensity(_ panel: [Int], windows: [SeqletWindow], cores: Matrix) -> [Int] {
        let panelCores = Matrix(
            rows: panel.map { Array(cores.values[($0 * cores.width)..<(($0 + 1) * cores.width)]) },
            width: cores.width)
        var density = [Int](repeating: 0, count: panel.count)
        let chunk = 32
        for first in stride(from: 0, to: panel.count, by: chunk) {
            let templates = panel[first..<min(panel.count, first + chunk)].map { windows[$0].hypothetical }
            for (t, column) in hits(templates, cores: panelCores).enumerated() {
                density[first + t] = column.filter { $0.similarity >= similarity }.count
            }
        }
        return density
    }

    // MARK: Aggregation

    /// Members' sums on the template's frame (``windowLength`` positions).
    struct Aggregate {
        /// Mean hypothetical contribution, `[positions x 4]`, a seqlet not covering a position counting 0.
        var hypothetical: [Float]
        /// Summed contribution of the present bases, `[positions x 4]`.
        var contribution: [Double]
        /// Base counts, `[positions x 4]`.
        var counts: [Int]
    }

    func aggregate(_ members: [Member], windows: [SeqletWindow]) -> Aggregate {
        let n = windowLength
        var hyp = [Double](repeating: 0, count: n * 4)
        var result = Aggregate(
            hypothetical: [], contribution: [Double](repeating: 0, count: n * 4),
            counts: [Int](repeating: 0, count: n * 4))
        for m in members {
            let w = windows[m.index]
            for q in 0..<n {
                let f = m.alignment.reverse ? n - 1 - m.alignment.offset - q : q + m.alignment.offset
                guard f >= 0, f < n, let base = Nucleotide.channel(w.bases[q]) else { continue }
                for c in 0..<4 {
                    let target = m.alignment.reverse ? 3 - c : c
                    hyp[f * 4 + target] += Double(w.hypothetical[q * 4 + c])
                }
                let b = m.alignment.reverse ? 3 - base : base
                result.contribution[f * 4 + b] += Double(w.hypothetical[q * 4 + base])
                result.counts[f * 4 + b] += 1
            }
        }
        result.hypothetical = hyp.map { Float($0 / Double(members.count)) }
        return result
    }

    /// The members' matrices, trimmed to the positions from the first to the last whose summed |CWM|
    /// reaches ``trimThreshold`` of the largest.
    func pattern(_ members: [Member], windows: [SeqletWindow], name: String, sign: Seqlet.Sign) -> Pattern {
        let sums = aggregate(members, windows: windows)
        let n = windowLength
        let total = Double(members.count)
        let cwm = (0..<n).map { p in (0..<4).map { sums.contribution[p * 4 + $0] / total } }
        let support = (0..<n).map { p in (0..<4).reduce(0) { $0 + sums.counts[p * 4 + $1] } }
        let pwm = (0..<n).map { p in
            (0..<4).map { support[p] > 0 ? Double(sums.counts[p * 4 + $0]) / Double(support[p]) : 0.25 }
        }
        let importance = cwm.map { $0.reduce(0) { $0 + abs($1) } }
        let peak = importance.max() ?? 0
        let kept = importance.indices.filter { peak > 0 && importance[$0] >= trimThreshold * peak }
        let range = (kept.first ?? 0)...(kept.last ?? (n - 1))
        return Pattern(
            name: name, sign: sign, seqlets: members.count, cwm: Array(cwm[range]), pwm: Array(pwm[range]),
            support: Array(support[range]))
    }

    /// OpenBLAS single-threaded: blocks are already spread over ``threads``.
    private static let singleThreadedBLAS: Bool = {
        openblas_set_num_threads(1)
        return true
    }()
}
