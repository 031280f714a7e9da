import Foundation
import Support

/// TOMTOM's motif comparison (Gupta et al., Genome Biology 2007), with the "complete" score as
/// memelite's tomtom computes it: every query column is scored against every column of every
/// target (both strands), each query column's scores are centred on their median and binned to
/// integers, and a query-target alignment scores the sum over its aligned columns (an unaligned
/// query column adds the median, 0). The null of one alignment's score is the convolution of its
/// query columns' score histograms (each column's scores against all target columns); a target's
/// best score is judged against the maximum of its alignments' scores, taken as independent.
public struct MotifComparison: Sendable {
    /// How two columns are compared.
    public enum ColumnScore: String, CaseIterable, Sendable {
        /// Pearson's correlation of the four probabilities (TOMTOM's default, `-dist pearson`).
        case pearson
        /// Minus the Euclidean distance between the columns (`-dist ed`; memelite's only score).
        case euclidean
    }

    public struct Options: Sendable {
        public var columnScore = ColumnScore.pearson
        /// Alignments must overlap by this many columns, or by the shorter motif's width.
        public var minOverlap = 5
        /// Compare each target's reverse complement too.
        public var bothStrands = true
        /// Bins the range of centred column scores is cut into (TOMTOM's `t`, memelite's default).
        public var scoreBins = 100

        public init() {}
    }

    /// The strand of the target in the best alignment.
    public enum Orientation: String, Sendable {
        case forward = "+"
        case reverse = "-"
    }

    /// A query's best alignment to one target.
    public struct Match: Sendable, Equatable {
        public let queryID: String
        public let targetIndex: Int
        public let targetID: String
        /// The target column the query's first column lies on (in the reverse complement's
        /// columns for `-`); negative when the query starts before the target.
        public let offset: Int
        public let pValue: Double
        /// `pValue` times the number of targets.
        public let eValue: Double
        /// Benjamini-Hochberg over the query's p-values against all targets.
        public let qValue: Double
        public let overlap: Int
        public let queryConsensus: String
        /// The target's consensus as the database writes it (whatever the orientation).
        public let targetConsensus: String
        public let orientation: Orientation
        /// The alignment's integer score (sum of binned, median-centred column scores).
        public let score: Int
    }

    public let targets: [MotifMatrix]
    public let options: Options
    /// Every target column, forward targets first, then (with both strands) their reverse
    /// complements in the same order; prepared for the column score.
    private let columns: [PreparedColumn]
    /// Where each target's columns start in `columns` (forward); `reverseStart + start` for `-`.
    private let starts: [Int]
    private let reverseStart: Int
    private let consensus: [String]

    /// A column centred on its mean (Pearson) or as is (Euclidean), with its squared norm.
    private struct PreparedColumn: Sendable {
        var values: SIMD4<Double>
        var norm: Double
    }

    public init(targets: [MotifMatrix], options: Options = Options()) {
        self.targets = targets
        self.options = options
        var starts: [Int] = []
        var raw: [[Double]] = []
        for target in targets {
            starts.append(raw.count)
            raw += target.rows
        }
        reverseStart = raw.count
        if options.bothStrands {
            for target in targets { raw += target.reverseComplement.rows }
        }
        self.starts = starts
        columns = raw.map { Self.prepare($0, options.columnScore) }
        consensus = targets.map(\.consensus)
    }

    /// The query against every target, in target order.
    public func compare(_ query: MotifMatrix) -> [Match] {
        guard !targets.isEmpty, query.width > 0 else { return [] }
        let nq = query.width
        let binned = binnedScores(query)
        let nulls = SpanNulls(histograms: binned.histograms, offset: binned.offset, width: nq)
        let strands = options.bothStrands ? 2 : 1
        var sums = [Int](repeating: 0, count: 0)
        var best: [(alignment: Alignment, p: Double)] = []
        best.reserveCapacity(targets.count)
        for (t, target) in targets.enumerated() {
            let nt = target.width
            let minOverlap = min(options.minOverlap, nq, nt)
            var chosen: Alignment?
            var pMin = 1.0
            for strand in 0..<strands {
                let start = (strand == 0 ? 0 : reverseStart) + starts[t]
                let alignment = bestAlignment(
                    binned: binned.scores, nq: nq, start: start, nt: nt, minOverlap: minOverlap, sums: &sums,
                    reverse: strand == 1)
                let p = nulls.pValue(score: alignment.score, targetWidth: nt, minOverlap: minOverlap)
                if chosen == nil || p < pMin || (p == pMin && alignment.score > (chosen?.score ?? .min)) {
                    chosen = alignment
                    pMin = p
                }
            }
            // Šidák over the two strands, written so it does not round to 0 below 1e-16.
            let p = strands == 2 ? pMin * (2 - pMin) : pMin
            if let chosen { best.append((chosen, p)) }
        }
        let q = Self.benjaminiHochberg(best.map(\.p))
        let queryConsensus = query.consensus
        return best.enumerated().map { t, hit in
            Match(
                queryID: query.id, targetIndex: t, targetID: targets[t].id, offset: hit.alignment.offset,
                pValue: hit.p, eValue: hit.p * Double(targets.count), qValue: q[t], overlap: hit.alignment.overlap,
                queryConsensus: queryConsensus, targetConsensus: consensus[t],
                orientation: hit.alignment.reverse ? .reverse : .forward, score: hit.alignment.score)
        }
    }

    /// Every query against every target, queries spread over `threads`; results in query order.
    public func compare(_ queries: [MotifMatrix], threads: Int) -> [[Match]] {
        parallelMap(count: queries.count, threads: threads) { compare(queries[$0]) }
    }

    /// Benjamini-Hochberg q-values, in the order of `p`.
    public static func benjaminiHochberg(_ p: [Double]) -> [Double] {
        let order = p.indices.sorted { p[$0] < p[$1] || (p[$0] == p[$1] && $0 < $1) }
        var q = [Double](repeating: 1, count: p.count)
        var running = 1.0
        for rank in stride(from: order.count, through: 1, by: -1) {
            let i = order[rank - 1]
            running = min(running, p[i] * Double(p.count) / Double(rank))
            q[i] = running
        }
        return q
    }

    // MARK: - Column scores

    private struct Alignment {
        var score: Int
        var offset: Int
        var overlap: Int
        var reverse: Bool
    }

    private struct Binned {
        /// `[query column][target column]` integer scores, centred (the median is 0).
        var scores: [[Int32]]
        /// Per query column, the probability of each bin `x` (score `x - offset`).
        var histograms: [[Double]]
        /// The bin of a centred score of 0.
        var offset: Int
    }

    private static func prepare(_ row: [Double], _ kind: ColumnScore) -> PreparedColumn {
        var v = SIMD4<Double>(row[0], row[1], row[2], row[3])
        if kind == .pearson { v -= SIMD4(repeating: (v.sum()) / 4) }
        return PreparedColumn(values: v, norm: (v * v).sum())
    }

    private func columnScore(_ q: PreparedColumn, _ t: PreparedColumn) -> Double {
        switch options.columnScore {
        case .pearson:
            // A flat column has no correlation with anything.
            let denominator = (q.norm * t.norm).squareRoot()
            return denominator > 0 ? (q.values * t.values).sum() / denominator : 0
        case .euclidean:
            let d = q.norm + t.norm - 2 * (q.values * t.values).sum()
            return d > 0 ? -d.squareRoot() : 0
        }
    }

    /// The query's columns scored against all target columns, centred on each query column's
    /// median and cut into `scoreBins` bins over the range of all centred scores (memelite's
    /// binning: the scale is `floor(bins / (max - floor(min)))`).
    private func binnedScores(_ query: MotifMatrix) -> Binned {
        let n = columns.count
        var raw: [[Double]] = []
        var medians: [Double] = []
        var low = Double.infinity
        var high = -Double.infinity
        for row in query.rows {
            let q = Self.prepare(row, options.columnScore)
            let scores = columns.map { columnScore(q, $0) }
            let sorted = scores.sorted()
            let median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
            low = min(low, sorted[0] - median)
            high = max(high, sorted[n - 1] - median)
            raw.append(scores)
            medians.append(median)
        }
        let floorLow = low.rounded(.down)
        let range = high - floorLow
        let scale = range > 0 ? max(1, (Double(options.scoreBins) / range).rounded(.down)) : 1
        let offset = Int(-floorLow * scale)
        let bins = Int((range * scale).rounded(.down)) + 2
        var histograms: [[Double]] = []
        var scores: [[Int32]] = []
        for (i, row) in raw.enumerated() {
            var histogram = [Double](repeating: 0, count: bins)
            let shift = medians[i] + floorLow
            let binned = row.map { value -> Int32 in
                let x = Int(((value - shift) * scale + 0.5).rounded(.down))
                histogram[min(max(x, 0), bins - 1)] += 1
                return Int32(x - offset)
            }
            histograms.append(histogram.map { $0 / Double(n) })
            scores.append(binned)
        }
        return Binned(scores: scores, histograms: histograms, offset: offset)
    }

    /// The best-scoring alignment of the query on one strand of a target: offsets `o` put query
    /// column `q` on target column `q + o`; only overlaps of at least `minOverlap` count.
    private func bestAlignment(
        binned: [[Int32]], nq: Int, start: Int, nt: Int, minOverlap: Int, sums: inout [Int], reverse: Bool
    ) -> Alignment {
        let count = nt + nq - 1
        if sums.count < count { sums = [Int](repeating: 0, count: count) }
        for k in 0..<count { sums[k] = 0 }
        for q in 0..<nq {
            let row = binned[q]
            // sums[o + nq - 1] gathers target column k = q + o.
            for k in 0..<nt { sums[k - q + nq - 1] += Int(row[start + k]) }
        }
        var best = Alignment(score: .min, offset: 0, overlap: 0, reverse: reverse)
        for index in 0..<count {
            let o = index - (nq - 1)
            let overlap = min(nq - 1, nt - 1 - o) - max(0, -o) + 1
            guard overlap >= minOverlap else { continue }
            let s = sums[index]
            if s > best.score || (s == best.score && overlap > best.overlap) {
                best = Alignment(score: s, offset: o, overlap: overlap, reverse: reverse)
            }
        }
        return best
    }
}

/// The null distributions of alignment scores: for each span `lo...hi` of query columns, the
/// survival function of the sum of its columns' binned scores (independent columns, each drawn
/// from its histogram over all target columns).
private struct SpanNulls {
    let width: Int
    let offset: Int
    /// `survival[lo * width + hi][k]`: P(sum of bins over the span >= k).
    private var survival: [[Double]]

    init(histograms: [[Double]], offset: Int, width: Int) {
        self.width = width
        self.offset = offset
        survival = [[Double]](repeating: [], count: width * width)
        let nonzero = histograms.map { h in h.indices.filter { h[$0] > 0 }.map { (bin: $0, p: h[$0]) } }
        for lo in 0..<width {
            var distribution = histograms[lo]
            for hi in lo..<width {
                if hi > lo {
                    var next = [Double](repeating: 0, count: distribution.count + histograms[hi].count - 1)
                    for (k, a) in distribution.enumerated() where a > 0 {
                        for term in nonzero[hi] { next[k + term.bin] += a * term.p }
                    }
                    distribution = next
                }
                survival[lo * width + hi] = survivalFunction(distribution)
            }
        }
    }

    /// P(the best of the target's alignments scores at least `score`), its alignments' scores
    /// taken as independent: `1 - prod_o (1 - S_o(score))` over the offsets counted.
    func pValue(score: Int, targetWidth nt: Int, minOverlap: Int) -> Double {
        var logNone = 0.0
        for o in -(width - 1)...(nt - 1) {
            let lo = max(0, -o)
            let hi = min(width - 1, nt - 1 - o)
            let length = hi - lo + 1
            guard length >= minOverlap else { continue }
            let table = survival[lo * width + hi]
            // The span's bins add `length * offset` to the centred score.
            let k = score + length * offset
            let tail = k <= 0 ? 1 : (k < table.count ? table[k] : 0)
            if tail >= 1 { return 1 }
            logNone += log1p(-tail)
        }
        return -expm1(logNone)
    }
}

/// `out[k]` = P(X >= k) for a distribution over 0, 1, 2, ..., summed from the top so that tiny
/// tails keep their precision (1 - CDF would round them to 0 below 1e-16).
func survivalFunction(_ distribution: [Double]) -> [Double] {
    var out = [Double](repeating: 0, count: distribution.count + 1)
    var total = 0.0
    for k in stride(from: distribution.count - 1, through: 0, by: -1) {
        total += distribution[k]
        out[k] = min(1, total)
    }
    return out
}
