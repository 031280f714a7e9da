import Foundation

/// Fisher's exact test of a 2 x 2 table `[[a, b], [c, d]]`, two-sided as R's `fisher.test` and
/// SciPy's `fisher_exact` compute it: the probability, under fixed margins (hypergeometric), of
/// every table at most as likely as the observed one.
public struct FisherExactTest: Sendable, Equatable {
    /// The sample odds ratio `(a d) / (b c)` (infinite when `b c = 0 < a d`, NaN when both are 0).
    public let oddsRatio: Double
    public let pValue: Double

    public init(a: Int, b: Int, c: Int, d: Int) {
        precondition(a >= 0 && b >= 0 && c >= 0 && d >= 0, "counts are not negative")
        let numerator = Double(a) * Double(d)
        let denominator = Double(b) * Double(c)
        oddsRatio = denominator > 0 ? numerator / denominator : numerator > 0 ? .infinity : .nan
        let row1 = a + b
        let col1 = a + c
        let n = a + b + c + d
        let low = max(0, row1 + col1 - n)
        let high = min(row1, col1)
        let total = Self.logChoose(n, row1)
        func logP(_ x: Int) -> Double {
            Self.logChoose(col1, x) + Self.logChoose(n - col1, row1 - x) - total
        }
        // Tables as likely as the observed one, up to rounding, count as "at most as likely".
        let threshold = logP(a) + log1p(1e-7)
        // The distribution rises to its mode and falls after it, so the tables counted are two
        // tails: found by bisection, summed outward from their inner ends. Far out the terms fall
        // faster than geometrically (log-concave), so a tail stops once what is left of it cannot
        // move the sum: with covered-base counts in the millions, walking every table took seconds.
        let mode = min(high, max(low, Int(Double(row1 + 1) * Double(col1 + 1) / Double(n + 2))))
        func tail(from start: Int, to end: Int) -> Double {
            let step = end >= start ? 1 : -1
            var sum = 0.0
            var x = start
            var term = exp(logP(start))
            while true {
                sum += term
                if x == end { return sum }
                let next = exp(logP(x + step))
                let ratio = next / term
                if ratio < 1, next / (1 - ratio) < sum * 1e-17 { return sum }
                (x, term) = (x + step, next)
            }
        }
        var p = 0.0
        if logP(low) <= threshold {
            var (lo, hi) = (low, mode)  // the last table at or below the threshold, rising side
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if logP(mid) <= threshold { lo = mid } else { hi = mid - 1 }
            }
            p += tail(from: lo, to: low)
        }
        if mode < high, logP(high) <= threshold {
            var (lo, hi) = (mode + 1, high)  // the first table at or below the threshold, falling side
            while lo < hi {
                let mid = (lo + hi) / 2
                if logP(mid) <= threshold { hi = mid } else { lo = mid + 1 }
            }
            p += tail(from: lo, to: high)
        }
        pValue = min(1, p)
    }

    private static func logChoose(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
    }
}

/// Benjamini–Hochberg adjusted p-values (q-values), in the input's order:
/// `q_(i) = min over j >= i of p_(j) * m / j`, at most 1 (R's `p.adjust(method = "BH")`).
public func benjaminiHochberg(_ pValues: [Double]) -> [Double] {
    let m = pValues.count
    let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
    var q = [Double](repeating: 1, count: m)
    var running = 1.0
    for rank in stride(from: m, through: 1, by: -1) {
        let i = order[rank - 1]
        running = min(running, pValues[i] * Double(m) / Double(rank))
        q[i] = min(1, running)
    }
    return q
}
