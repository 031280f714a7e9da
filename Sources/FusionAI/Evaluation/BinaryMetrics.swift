/// Classification metrics of P(positive) scores against 0/1 labels.
public struct BinaryMetrics: Sendable, Equatable {
    public let threshold: Double
    public let truePositives: Int, falsePositives: Int, trueNegatives: Int, falseNegatives: Int
    /// Area under the ROC curve (the probability a random positive scores above a random negative,
    /// ties counting half).
    public let auroc: Double
    /// Area under the precision-recall curve, as average precision: the precision at each
    /// positive's rank, tied scores taken together.
    public let auprc: Double

    /// - Precondition: `scores.count == labels.count`.
    public init(scores: [Double], labels: [Bool], threshold: Double = 0.5) {
        precondition(scores.count == labels.count, "one label per score")
        self.threshold = threshold
        var tp = 0
        var fp = 0
        var tn = 0
        var fn = 0
        for (s, l) in zip(scores, labels) {
            switch (s >= threshold, l) {
            case (true, true): tp += 1
            case (true, false): fp += 1
            case (false, false): tn += 1
            case (false, true): fn += 1
            }
        }
        (truePositives, falsePositives, trueNegatives, falseNegatives) = (tp, fp, tn, fn)

        // Rank groups of tied scores, highest first.
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var groups: [(positives: Int, negatives: Int)] = []
        var i = 0
        while i < order.count {
            var j = i
            var p = 0
            var n = 0
            while j < order.count, scores[order[j]] == scores[order[i]] {
                if labels[order[j]] { p += 1 } else { n += 1 }
                j += 1
            }
            groups.append((p, n))
            i = j
        }
        let positives = labels.filter { $0 }.count
        let negatives = labels.count - positives
        // AUROC: for each group, its positives beat all negatives ranked below and tie half of its own.
        var negativesBelow = negatives
        var pairs = 0.0
        var precisionSum = 0.0
        var seenPositives = 0
        var seen = 0
        for g in groups {
            negativesBelow -= g.negatives
            pairs += Double(g.positives) * (Double(negativesBelow) + Double(g.negatives) / 2)
            seenPositives += g.positives
            seen += g.positives + g.negatives
            precisionSum += Double(g.positives) * Double(seenPositives) / Double(seen)
        }
        auroc = positives > 0 && negatives > 0 ? pairs / Double(positives * negatives) : .nan
        auprc = positives > 0 ? precisionSum / Double(positives) : .nan
    }

    public var count: Int { truePositives + falsePositives + trueNegatives + falseNegatives }
    public var accuracy: Double { Double(truePositives + trueNegatives) / Double(max(1, count)) }
    public var precision: Double { ratio(truePositives, truePositives + falsePositives) }
    public var recall: Double { ratio(truePositives, truePositives + falseNegatives) }
    public var f1: Double { precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0 }

    private func ratio(_ a: Int, _ b: Int) -> Double { b > 0 ? Double(a) / Double(b) : .nan }

    /// Calibration in `bins` equal-width bins of score: mean score, fraction positive, count.
    public static func calibration(scores: [Double], labels: [Bool], bins: Int = 10) -> [(
        meanScore: Double, fractionPositive: Double, count: Int
    )] {
        var sums = [Double](repeating: 0, count: bins)
        var positives = [Int](repeating: 0, count: bins)
        var counts = positives
        for (s, l) in zip(scores, labels) {
            let b = min(bins - 1, max(0, Int(s * Double(bins))))
            sums[b] += s
            counts[b] += 1
            if l { positives[b] += 1 }
        }
        return (0..<bins).map { b in
            counts[b] > 0
                ? (sums[b] / Double(counts[b]), Double(positives[b]) / Double(counts[b]), counts[b]) : (.nan, .nan, 0)
        }
    }
}

extension BinaryMetrics {
    /// ROC curve points (false-positive rate, true-positive rate), from (0, 0) to (1, 1), one per
    /// distinct score.
    public static func rocCurve(scores: [Double], labels: [Bool]) -> [(Double, Double)] {
        curve(scores: scores, labels: labels) { tp, fp, p, n in
            (n > 0 ? Double(fp) / Double(n) : 0, p > 0 ? Double(tp) / Double(p) : 0)
        }
    }

    /// Precision-recall curve points (recall, precision), one per distinct score.
    public static func precisionRecallCurve(scores: [Double], labels: [Bool]) -> [(Double, Double)] {
        Array(
            curve(scores: scores, labels: labels) { tp, fp, p, _ in
                (p > 0 ? Double(tp) / Double(p) : 0, tp + fp > 0 ? Double(tp) / Double(tp + fp) : 1)
            }.dropFirst())
    }

    private static func curve(scores: [Double], labels: [Bool], point: (Int, Int, Int, Int) -> (Double, Double)) -> [(
        Double, Double
    )] {
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        let p = labels.filter { $0 }.count
        let n = labels.count - p
        var tp = 0
        var fp = 0
        var points = [point(0, 0, p, n)]
        var i = 0
        while i < order.count {
            let s = scores[order[i]]
            while i < order.count, scores[order[i]] == s {
                if labels[order[i]] { tp += 1 } else { fp += 1 }
                i += 1
            }
            points.append(point(tp, fp, p, n))
        }
        return points
    }
}
