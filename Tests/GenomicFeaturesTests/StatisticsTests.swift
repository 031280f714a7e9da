import GenomicFeatures
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

    func testBenjaminiHochbergMatchesSciPy() {
        let q = benjaminiHochberg([0.01, 0.04, 0.03, 0.2])
        for (value, expected) in zip(q, [0.04, 0.05333333333333334, 0.05333333333333334, 0.2]) {
            XCTAssertEqual(value, expected, accuracy: 1e-12)
        }
        XCTAssertEqual(benjaminiHochberg([]), [])
        XCTAssertEqual(benjaminiHochberg([0.9, 0.95]), [0.95, 0.95])
    }
}
