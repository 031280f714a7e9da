import FusionAI
import XCTest

/// Against values computed by hand (and matching scikit-learn's roc_auc_score and
/// average_precision_score on the same inputs).
final class BinaryMetricsTests: XCTestCase {
    func testTheScikitLearnExample() {
        // sklearn docs: y = [0, 0, 1, 1], scores = [0.1, 0.4, 0.35, 0.8]: AUROC 0.75, AP 0.8333.
        let m = BinaryMetrics(scores: [0.1, 0.4, 0.35, 0.8], labels: [false, false, true, true])
        XCTAssertEqual(m.auroc, 0.75, accuracy: 1e-12)
        XCTAssertEqual(m.auprc, (1.0 + 2.0 / 3.0) / 2, accuracy: 1e-12)
        // At 0.5: only 0.8 is called positive.
        XCTAssertEqual([m.truePositives, m.falsePositives, m.trueNegatives, m.falseNegatives], [1, 0, 2, 1])
        XCTAssertEqual(m.accuracy, 0.75)
        XCTAssertEqual(m.precision, 1)
        XCTAssertEqual(m.recall, 0.5)
        XCTAssertEqual(m.f1, 2.0 / 3.0, accuracy: 1e-12)
    }

    func testTiesCountHalfAndPerfectAndInvertedRankings() {
        XCTAssertEqual(BinaryMetrics(scores: [0.5, 0.5], labels: [true, false]).auroc, 0.5)
        XCTAssertEqual(BinaryMetrics(scores: [0.5, 0.5], labels: [true, false]).auprc, 0.5)
        XCTAssertEqual(BinaryMetrics(scores: [0.9, 0.8, 0.2, 0.1], labels: [true, true, false, false]).auroc, 1)
        XCTAssertEqual(BinaryMetrics(scores: [0.9, 0.8, 0.2, 0.1], labels: [false, false, true, true]).auroc, 0)
        XCTAssertTrue(BinaryMetrics(scores: [0.9], labels: [true]).auroc.isNaN, "no negatives: undefined")
    }

    func testCalibrationBins() {
        let bins = BinaryMetrics.calibration(
            scores: [0.05, 0.15, 0.95, 0.91, 1.0], labels: [false, true, true, false, true], bins: 10)
        XCTAssertEqual(bins[0].count, 1)
        XCTAssertEqual(bins[1].fractionPositive, 1)
        XCTAssertEqual(bins[9].count, 3, "1.0 falls in the last bin")
        XCTAssertEqual(bins[9].meanScore, (0.95 + 0.91 + 1.0) / 3, accuracy: 1e-12)
        XCTAssertEqual(bins[9].fractionPositive, 2.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(bins[5].count, 0)
    }
}
