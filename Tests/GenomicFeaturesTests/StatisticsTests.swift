import GenomicFeatures
import SeededRandom
import XCTest

/// Against SciPy 1.17 (`scipy.stats.fisher_exact`, `false_discovery_control`), computed once by hand.
final class StatisticsTests: XCTestCase {
    func testFisherExactMatchesSciPy() {
        let cases: [(Int, Int, Int, Int, Double, Double)] = [
            (8, 2, 1, 5, 20, 0.034965034965034975),
            (3, 1, 1, 3, 9, 0.48571428571428565),
            (10, 20, 30, 40, 2.0 / 3.0, 0.5044757698516285),
        ]
        for (a, b, c, d, oddsRatio, p) in cases {
            let test = FisherExactTest(a: a, b: b, c: c, d: d)
            XCTAssertEqual(test.oddsRatio, oddsRatio, accuracy: 1e-12)
            XCTAssertEqual(test.pValue, p, accuracy: 1e-12, "[[\(a), \(b)], [\(c), \(d)]]")
        }
        XCTAssertEqual(FisherExactTest(a: 5, b: 0, c: 0, d: 5).oddsRatio, .infinity)
        XCTAssertEqual(FisherExactTest(a: 0, b: 0, c: 0, d: 0).pValue, 1)
    }

    /// The tails found by bisection and cut where they stop mattering give the p-value of summing
    /// every table, on seeded random tables from tiny to thousands per cell, p from 1 to 1e-300.
    func testTailSumsEqualTheSumOverEveryTable() {
        func exhaustive(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Double {
            let row1 = a + b
            let col1 = a + c
            let n = a + b + c + d
            func logChoose(_ n: Int, _ k: Int) -> Double {
                lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
            }
            func logP(_ x: Int) -> Double { logChoose(col1, x) + logChoose(n - col1, row1 - x) - logChoose(n, row1) }
            let threshold = logP(a) + log1p(1e-7)
            var p = 0.0
            for x in max(0, row1 + col1 - n)...min(row1, col1) where logP(x) <= threshold { p += exp(logP(x)) }
            return min(1, p)
        }
        var random = SeededGenerator(seed: 12345)
        func next(_ bound: Int) -> Int { random.int(in: 0...bound) }
        for scale in [5, 50, 500, 3_000] {
            for _ in 0..<40 {
                let (a, b, c, d) = (next(scale), next(scale), next(scale), next(scale))
                let want = exhaustive(a, b, c, d)
                let got = FisherExactTest(a: a, b: b, c: c, d: d).pValue
                XCTAssertEqual(got, want, accuracy: max(1e-300, want * 1e-10), "[[\(a), \(b)], [\(c), \(d)]]")
            }
        }
        // Millions of covered bases (the positive-vs-negative test of a large run) stay exact where
        // the answer is known: equal proportions give p = 1; a 1% shift is far beyond any doubt.
        XCTAssertEqual(
            FisherExactTest(a: 3_000_000, b: 7_000_000, c: 3_000_000, d: 7_000_000).pValue, 1, accuracy: 1e-9)
        XCTAssertEqual(
            FisherExactTest(a: 3_100_000, b: 6_900_000, c: 3_000_000, d: 7_000_000).pValue, 0, accuracy: 1e-300)
    }

    func testBenjaminiHochbergMatchesSciPy() {
        let q = benjaminiHochberg([0.01, 0.04, 0.03, 0.2])
        for (value, expected) in zip(q, [0.04, 0.05333333333333334, 0.05333333333333334, 0.2]) {
            XCTAssertEqual(value, expected, accuracy: 1e-12)
        }
        XCTAssertEqual(benjaminiHochberg([]), [])
        XCTAssertEqual(benjaminiHochberg([0.9, 0.95]), [0.95, 0.95])
    }
}
