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
        let numerator = Double(a) * Double(d), denominator = Double(b) * Double(c)
        oddsRatio = denominator > 0 ? numerator / denominator : numerator > 0 ? .infinity : .nan
        let row1 = a + b, col1 = a + c, n = a + b + c + d
        let low = max(0, row1 + col1 - n), high = min(row1, col1)
        func logP(_ x: Int) -> Double {
            Self.logChoose(col1, x) + Self.logChoose(n - col1, row1 - x) - Self.logChoose(n, row1)
        }
        let observed = logP(a)
        // Tables as likely as the observed one, up to rounding, count as "at most as likely".
        let threshold = observed + log1p(1e-7)
        var p = 0.0
        for x in low...max(low, high) where logP(x) <= threshold { p += exp(logP(x)) }
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
