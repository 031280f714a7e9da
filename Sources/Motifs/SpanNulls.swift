import Foundation

/// The null distributions of alignment scores: for a span `lo...hi` of query columns, the
/// survival function of the sum of its columns' binned scores (independent columns, each drawn
/// from its histogram over all target columns).
///
/// A target of width `nt` meets the query in three kinds of span: prefixes `0...hi`, suffixes
/// `lo...width - 1`, and, when the query is wider, windows of `nt` columns inside it. Building
/// each span's distribution column by column from its first column costs, over a query of
/// `width` columns, about `width * nt^2` convolution steps: cheap for database motifs (at most a
/// few dozen columns, all widths served by one pass per first column), cubic when query and
/// target are both wide (two 400-column motifs took 16 s). So spans are built three ways, and
/// the widths served by the first are chosen to make the least work:
/// - from each first column, every span up to `directWidth` columns (prefixes up to the widest);
/// - suffixes longer than that, as one pass from the query's last column back;
/// - windows of the wider targets, split in two at a multiple of `nt` (`windows`).
enum SpanNulls {
    /// One target strand's best alignment, to be judged against the null.
    struct Trial {
        let score: Int
        let targetWidth: Int
        let minOverlap: Int
    }

    /// For each trial, P(the best of the target's alignments scores at least `score`), its
    /// alignments' scores taken as independent: `1 - prod_o (1 - S_o(score))` over the offsets `o`
    /// (query column `q` on target column `q + o`) whose overlap is at least `minOverlap`.
    /// `directWidth` overrides the choice of spans built from each first column (tests use it to
    /// reach each way of building).
    static func pValues(
        _ trials: [Trial], histograms: [[Double]], offset: Int, queryWidth width: Int, directWidth: Int? = nil
    ) -> [Double] {
        guard width > 0, !trials.isEmpty else { return trials.map { _ in 1 } }
        var table = Table(trials: trials, histograms: histograms, offset: offset, queryWidth: width)
        let direct = directWidth ?? table.cheapestDirectWidth()
        table.spansFromEachColumn(upTo: direct)
        table.longSuffixes(beyond: direct)
        for group in table.groups where group.width > direct && group.width <= width - 2 {
            table.windows(targetWidth: group.width, trials: group.members)
        }
        return table.pValues()
    }

    /// A distribution over the integers `base, base + 1, ...`.
    private struct Sum {
        var values: [Double]
        var base: Int

        static let zero = Sum(values: [1], base: 0)

        func adding(_ other: Sum) -> Sum {
            Sum(values: SpanNulls.convolve(values, other.values), base: base + other.base)
        }
    }

    /// The trials of one target width.
    private struct Group {
        let width: Int
        let members: [Int]
    }

    /// The trials' `log(1 - S_o(score))` terms, filled in span by span.
    private struct Table {
        let trials: [Trial]
        /// Each query column's histogram trimmed to its occupied bins, so convolutions run over them only.
        let columns: [Sum]
        let offset: Int
        let width: Int
        let widest: Int
        /// The trials by target width, narrowest first.
        let groups: [Group]
        /// `terms[starts[i] + o + width - 1]` is trial `i`'s term at offset `o`; summed in offset order.
        let starts: [Int]
        var terms: [Double]

        init(trials: [Trial], histograms: [[Double]], offset: Int, queryWidth width: Int) {
            self.trials = trials
            self.offset = offset
            self.width = width
            widest = trials.map(\.targetWidth).max() ?? 0
            columns = histograms.map { h in
                let low = h.firstIndex { $0 > 0 } ?? 0
                let high = h.lastIndex { $0 > 0 } ?? 0
                return Sum(values: Array(h[low...high]), base: low)
            }
            groups = Dictionary(grouping: trials.indices, by: { trials[$0].targetWidth })
                .sorted { $0.key < $1.key }.map { Group(width: $0.key, members: $0.value) }
            var starts = [0]
            for trial in trials { starts.append(starts[starts.count - 1] + width + trial.targetWidth - 1) }
            self.starts = starts
            terms = [Double](repeating: 0, count: starts[trials.count])
        }

        func pValues() -> [Double] {
            trials.indices.map { -expm1(terms[starts[$0]..<starts[$0 + 1]].reduce(0, +)) }
        }

        /// The `directWidth` that makes the least work, in convolution steps of one column (each
        /// a multiply-add per pair of bins): spans from each first column cost `length^2 / 2`
        /// each, the pass of long suffixes `longest^2 / 2`, and a target width's windows about
        /// `1.5 * nt` per window (`windows`). The widest choice builds every span the first way.
        func cheapestDirectWidth() -> Int {
            let inside = groups.map(\.width).filter { $0 <= width - 2 }
            let longestSuffix = min(widest, width - 1)
            func cost(_ direct: Int) -> Double {
                var total = 0.0
                for lo in 1..<max(1, width) {
                    let length = Double(min(direct, width - lo))
                    total += length * length / 2
                }
                if longestSuffix > direct { total += Double(longestSuffix * longestSuffix) / 2 }
                for nt in inside where nt > direct { total += 1.5 * Double(nt) * Double(width - 1 - nt) }
                return total
            }
            // Ties go to the widest choice: every span built the first way.
            var best = widest
            var bestCost = cost(best)
            for direct in ([0] + inside).reversed() where cost(direct) < bestCost {
                best = direct
                bestCost = cost(direct)
            }
            return best
        }

        /// From each first column `lo`, the spans `lo...hi` up to `direct` columns long (from the
        /// first column, up to the widest target's width: every prefix), each recorded for every
        /// trial whose target meets exactly those columns.
        mutating func spansFromEachColumn(upTo direct: Int) {
            for lo in 0..<width {
                let longest = lo == 0 ? widest : direct
                guard longest > 0 else { continue }
                var sum = columns[lo]
                for hi in lo...min(width - 1, lo + longest - 1) {
                    if hi > lo { sum = sum.adding(columns[hi]) }
                    record(lo: lo, hi: hi, sum: sum)
                }
            }
        }

        /// The suffixes `lo...width - 1` (lo > 0) longer than `direct` columns, built back from the
        /// last column.
        mutating func longSuffixes(beyond direct: Int) {
            let longest = min(widest, width - 1)
            guard longest > direct else { return }
            var sum = Sum.zero
            for lo in stride(from: width - 1, through: width - longest, by: -1) {
                sum = sum.adding(columns[lo])
                if width - lo > direct { record(lo: lo, hi: width - 1, sum: sum) }
            }
        }

        /// The windows `lo...lo + nt - 1` that lie inside the query (`0 < lo`, `lo + nt < width`)
        /// for the trials of targets `nt` wide. Each window holds one multiple `m` of `nt` at most
        /// `nt - 1` columns after `lo`, and its null is that of its columns before `m` (left) plus
        /// those from `m` on (right): P(L + R >= k) = sum_a P(L = a) P(R >= k - a). Along `lo`,
        /// the right parts grow a column at a time, the left parts shrink; one left part in every
        /// `sqrt(nt)` is kept and the rest rebuilt from those, so memory stays at about
        /// `2 sqrt(nt)` parts and work at about `1.5 nt` column steps per window.
        mutating func windows(targetWidth nt: Int, trials members: [Int]) {
            for m in stride(from: nt, through: width - 2, by: nt) {
                let first = max(1, m - nt + 1)
                let last = min(m, width - nt - 1)
                guard first <= last else { continue }
                // Left parts `m - length...m - 1`, for lengths `m - last...m - first`.
                let longest = m - first
                let shortest = m - last
                let step = max(1, Int(Double(longest + 1).squareRoot()))
                var kept: [Sum] = []
                var left = Sum.zero
                for length in 0...longest {
                    if length > 0 { left = left.adding(columns[m - length]) }
                    if length % step == 0 { kept.append(left) }
                }
                var right = Sum.zero
                var rightLength = 0
                var rightTail = survivalFunction(right.values)
                for segment in stride(from: longest / step, through: shortest / step, by: -1) {
                    let segmentStart = segment * step
                    let segmentEnd = min(longest, segmentStart + step - 1)
                    var lefts = [kept[segment]]
                    for length in stride(from: segmentStart + 1, through: segmentEnd, by: 1) {
                        lefts.append(lefts[lefts.count - 1].adding(columns[m - length]))
                    }
                    for length in stride(from: segmentEnd, through: max(segmentStart, shortest), by: -1) {
                        let lo = m - length
                        if rightLength < lo + nt - m {
                            while rightLength < lo + nt - m {
                                right = right.adding(columns[m + rightLength])
                                rightLength += 1
                            }
                            rightTail = survivalFunction(right.values)
                        }
                        let part = lefts[length - segmentStart]
                        for i in members where nt >= trials[i].minOverlap {
                            let k = trials[i].score + nt * offset - part.base - right.base
                            set(SpanNulls.tail(part.values, rightTail, atLeast: k), trial: i, offsets: -lo ... -lo)
                        }
                    }
                }
            }
        }

        /// Records the span `lo...hi` for every trial whose target meets exactly those columns.
        private mutating func record(lo: Int, hi: Int, sum: Sum) {
            let length = hi - lo + 1
            var survival: [Double]?
            for group in groups {
                guard let offsets = SpanNulls.offsets(lo: lo, hi: hi, queryWidth: width, targetWidth: group.width)
                else { continue }
                for i in group.members where length >= trials[i].minOverlap {
                    let table = survival ?? survivalFunction(sum.values)
                    survival = table
                    // The span's bins add `length * offset` to the centred score.
                    let k = trials[i].score + length * offset - sum.base
                    set(k <= 0 ? 1 : (k < table.count ? table[k] : 0), trial: i, offsets: offsets)
                }
            }
        }

        private mutating func set(_ tail: Double, trial i: Int, offsets: ClosedRange<Int>) {
            let term = log1p(-tail)
            for o in offsets { terms[starts[i] + o + width - 1] = term }
        }
    }

    /// The offsets at which a target of width `nt` meets exactly query columns `lo...hi`.
    private static func offsets(lo: Int, hi: Int, queryWidth width: Int, targetWidth nt: Int) -> ClosedRange<Int>? {
        // The query starts before the target (o = -lo < 0): one offset, where the target ends.
        if lo > 0 { return hi == min(width - 1, nt - 1 + lo) ? -lo ... -lo : nil }
        // The query starts inside the target (o >= 0): it ends at nt - 1 - o, or past the target's
        // end every offset that lays the whole query inside it.
        if hi < width - 1 { return hi <= nt - 1 ? (nt - 1 - hi)...(nt - 1 - hi) : nil }
        return nt >= width ? 0...(nt - width) : nil
    }

    /// P(L + R >= k) from L's distribution and R's survival function.
    private static func tail(_ left: [Double], _ rightTail: [Double], atLeast k: Int) -> Double {
        // Certain, and exactly 1 as a span's own survival function gives it (a sum of `left` may be 1 - ulp).
        guard k > 0 else { return 1 }
        var total = 0.0
        for (a, p) in left.enumerated() where p > 0 {
            let j = k - a
            total += p * (j <= 0 ? 1 : (j < rightTail.count ? rightTail[j] : 0))
        }
        return min(1, total)
    }

    /// The distribution of a sum: one contiguous multiply-add per occupied value of `a`, which the
    /// compiler vectorises.
    private static func convolve(_ a: [Double], _ b: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: a.count + b.count - 1)
        out.withUnsafeMutableBufferPointer { out in
            b.withUnsafeBufferPointer { b in
                guard let outBase = out.baseAddress, let bBase = b.baseAddress else { return }
                for (k, x) in a.enumerated() where x > 0 {
                    let target = outBase + k
                    for j in 0..<b.count { target[j] += x * bBase[j] }
                }
            }
        }
        return out
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
