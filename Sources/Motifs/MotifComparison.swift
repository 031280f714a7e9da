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
    private let columns: PreparedColumns
    /// Where each target's columns start in `columns` (forward); `reverseStart + start` for `-`.
    private let starts: [Int]
    private let reverseStart: Int
    private let consensus: [String]

    /// A column centred on its mean (Pearson) or as is (Euclidean), with its squared norm.
    private struct PreparedColumn: Sendable {
        var values: SIMD4<Double>
        var norm: Double
    }

    /// The target columns letter by letter (one array per letter), so scoring a query column
    /// against all of them is a loop the compiler vectorises.
    private struct PreparedColumns: Sendable {
        var letters: [[Double]]
        var norms: [Double]
        var count: Int { norms.count }

        init(_ columns: [PreparedColumn]) {
            letters = (0..<4).map { letter in columns.map { $0.values[letter] } }
            norms = columns.map(\.norm)
        }
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
        columns = PreparedColumns(raw.map { Self.prepare($0, options.columnScore) })
        consensus = targets.map(\.consensus)
    }

    /// The query against every target, in target order.
    public func compare(_ query: MotifMatrix) -> [Match] {
        guard !targets.isEmpty, query.width > 0 else { return [] }
        let nq = query.width
        let binned = binnedScores(query)
        let strands = options.bothStrands ? 2 : 1
        var sums = [Int](repeating: 0, count: 0)
        // Each target's best alignment on each strand (index target * strands + strand), then all
        // their p-values in one pass over the query's column spans.
        var alignments: [Alignment] = []
        var trials: [SpanNulls.Trial] = []
        alignments.reserveCapacity(targets.count * strands)
        for (t, target) in targets.enumerated() {
            let nt = target.width
            let minOverlap = min(options.minOverlap, nq, nt)
            for strand in 0..<strands {
                let start = (strand == 0 ? 0 : reverseStart) + starts[t]
                let alignment = bestAlignment(
                    binned: binned, nq: nq, start: start, nt: nt, minOverlap: minOverlap, sums: &sums,
                    reverse: strand == 1)
                alignments.append(alignment)
                trials.append(SpanNulls.Trial(score: alignment.score, targetWidth: nt, minOverlap: minOverlap))
            }
        }
        let pValues = SpanNulls.pValues(
            trials, histograms: binned.histograms, offset: binned.offset, queryWidth: nq)
        var best: [(alignment: Alignment, p: Double)] = []
        best.reserveCapacity(targets.count)
        for t in targets.indices {
            var chosen = alignments[t * strands]
            var pMin = pValues[t * strands]
            for strand in 1..<strands {
                let alignment = alignments[t * strands + strand]
                let p = pValues[t * strands + strand]
                if p < pMin || (p == pMin && alignment.score > chosen.score) {
                    chosen = alignment
                    pMin = p
                }
            }
            // Šidák over the two strands, written so it does not round to 0 below 1e-16.
            best.append((chosen, strands == 2 ? pMin * (2 - pMin) : pMin))
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
        /// `[query column * columns + target column]` integer scores, centred (the median is 0).
        var scores: [Int32]
        var columns: Int
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

    /// One query column's scores against every target column, into `out`; returns their extremes.
    private func scoreColumn(_ q: PreparedColumn, into out: UnsafeMutableBufferPointer<Double>) -> (
        low: Double, high: Double
    ) {
        let a = columns.letters[0]
        let c = columns.letters[1]
        let g = columns.letters[2]
        let t = columns.letters[3]
        let norms = columns.norms
        let (q0, q1, q2, q3) = (q.values[0], q.values[1], q.values[2], q.values[3])
        var low = Double.infinity
        var high = -Double.infinity
        switch options.columnScore {
        case .pearson:
            for j in 0..<out.count {
                let dot = q0 * a[j] + q1 * c[j] + q2 * g[j] + q3 * t[j]
                // A flat column has no correlation with anything.
                let denominator = (q.norm * norms[j]).squareRoot()
                let v = denominator > 0 ? dot / denominator : 0
                out[j] = v
                low = min(low, v)
                high = max(high, v)
            }
        case .euclidean:
            for j in 0..<out.count {
                let d = q.norm + norms[j] - 2 * (q0 * a[j] + q1 * c[j] + q2 * g[j] + q3 * t[j])
                let v = d > 0 ? -d.squareRoot() : 0
                out[j] = v
                low = min(low, v)
                high = max(high, v)
            }
        }
        return (low, high)
    }

    /// The query's columns scored against all target columns, centred on each query column's
    /// median and cut into `scoreBins` bins over the range of all centred scores (memelite's
    /// binning: the scale is `floor(bins / (max - floor(min)))`).
    private func binnedScores(_ query: MotifMatrix) -> Binned {
        let n = columns.count
        let nq = query.width
        var raw = [Double](repeating: 0, count: nq * n)
        var medians: [Double] = []
        var low = Double.infinity
        var high = -Double.infinity
        raw.withUnsafeMutableBufferPointer { raw in
            for (i, row) in query.rows.enumerated() {
                let scores = UnsafeMutableBufferPointer(rebasing: raw[(i * n)..<((i + 1) * n)])
                let extremes = scoreColumn(Self.prepare(row, options.columnScore), into: scores)
                let median = Self.binnedMedian(UnsafeBufferPointer(scores), low: extremes.low, high: extremes.high)
                low = min(low, extremes.low - median)
                high = max(high, extremes.high - median)
                medians.append(median)
            }
        }
        let floorLow = low.rounded(.down)
        let range = high - floorLow
        let scale = range > 0 ? max(1, (Double(options.scoreBins) / range).rounded(.down)) : 1
        let offset = Int(-floorLow * scale)
        let bins = Int((range * scale).rounded(.down)) + 2
        var histograms: [[Double]] = []
        var binned = [Int32](repeating: 0, count: nq * n)
        binned.withUnsafeMutableBufferPointer { binned in
            raw.withUnsafeBufferPointer { raw in
                for i in 0..<nq {
                    var counts = [Int](repeating: 0, count: bins)
                    let shift = medians[i] + floorLow
                    counts.withUnsafeMutableBufferPointer { counts in
                        for j in 0..<n {
                            // At least 0.5 (no score is below the median by more than -floorLow), so
                            // truncation is floor.
                            let x = min(max(Int((raw[i * n + j] - shift) * scale + 0.5), 0), bins - 1)
                            counts[x] += 1
                            binned[i * n + j] = Int32(x - offset)
                        }
                    }
                    histograms.append(counts.map { Double($0) / Double(n) })
                }
            }
        }
        return Binned(scores: binned, columns: n, histograms: histograms, offset: offset)
    }

    /// memelite's median: the values counted into 1,000 equal-width bins between their extremes
    /// (`low`, `high`), and the mean of the bin where the count reaches half the values. A
    /// centring constant: with the exact median instead, far-tail p-values (self-matches, 1e-20
    /// and below) moved by up to ~30x against memelite's, with it they agree to print precision.
    static func binnedMedian(_ values: UnsafeBufferPointer<Double>, low: Double, high: Double) -> Double {
        guard high > low else { return low }
        let bins = 1000
        var counts = [Int](repeating: 0, count: bins)
        var sums = [Double](repeating: 0, count: bins)
        let scale = Double(bins - 1) / (high - low)
        for v in values {
            let b = Int((v - low) * scale)
            counts[b] += 1
            sums[b] += v
        }
        let half = Double(values.count) / 2
        var seen = 0
        for b in 0..<bins {
            seen += counts[b]
            if Double(seen) >= half { return sums[b] / Double(counts[b]) }
        }
        return high
    }

    /// The best-scoring alignment of the query on one strand of a target: offsets `o` put query
    /// column `q` on target column `q + o`; only overlaps of at least `minOverlap` count.
    private func bestAlignment(
        binned: Binned, nq: Int, start: Int, nt: Int, minOverlap: Int, sums: inout [Int], reverse: Bool
    ) -> Alignment {
        let count = nt + nq - 1
        if sums.count < count { sums = [Int](repeating: 0, count: count) }
        sums.withUnsafeMutableBufferPointer { sums in
            binned.scores.withUnsafeBufferPointer { scores in
                for k in 0..<count { sums[k] = 0 }
                for q in 0..<nq {
                    let row = q * binned.columns + start
                    // sums[o + nq - 1] gathers target column k = q + o.
                    for k in 0..<nt { sums[k - q + nq - 1] += Int(scores[row + k]) }
                }
            }
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
