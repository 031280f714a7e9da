import Fusions
import Reports
import Support

/// Writes a model's evaluation: `metrics.tsv`, `roc.svg`, `pr.svg`, `calibration.tsv` and
/// `calibration.svg`, under `prefix` in `folder`.
public enum EvaluationReport {
    /// - Returns: the metrics written.
    @discardableResult
    public static func write(
        scores: [Double], labels: [Bool], threshold: Double, folder: String, prefix: String = "", title: String
    ) throws -> BinaryMetrics {
        let m = BinaryMetrics(scores: scores, labels: labels, threshold: threshold)
        var table = "metric\tvalue\n"
        for (name, value) in [
            ("samples", Double(m.count)), ("positives", Double(labels.filter { $0 }.count)), ("threshold", threshold),
            ("accuracy", m.accuracy), ("precision", m.precision), ("recall", m.recall), ("f1", m.f1),
            ("auroc", m.auroc), ("auprc", m.auprc),
            ("true_positives", Double(m.truePositives)), ("false_positives", Double(m.falsePositives)),
            ("true_negatives", Double(m.trueNegatives)), ("false_negatives", Double(m.falseNegatives)),
        ] {
            let formatted =
                value.isNaN ? "NA" : value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
            table += "\(name)\t\(formatted)\n"
        }
        try save(table, folder + "/" + prefix + "metrics.tsv")
        let roc = BinaryMetrics.rocCurve(scores: scores, labels: labels)
        try save(
            LinePlot.svg(
                title: "\(title): ROC (AUROC \(format(m.auroc)))", xLabel: "false-positive rate",
                yLabel: "true-positive rate",
                series: [.init(name: "model", color: "#255C99", points: roc)], xRange: 0...1, yRange: 0...1,
                diagonal: true),
            folder + "/" + prefix + "roc.svg")
        let pr = BinaryMetrics.precisionRecallCurve(scores: scores, labels: labels)
        try save(
            LinePlot.svg(
                title: "\(title): precision-recall (AUPRC \(format(m.auprc)))", xLabel: "recall", yLabel: "precision",
                series: [.init(name: "model", color: "#D62839", points: pr)], xRange: 0...1, yRange: 0...1),
            folder + "/" + prefix + "pr.svg")
        let bins = BinaryMetrics.calibration(scores: scores, labels: labels)
        var calibration = "bin\tmean_score\tfraction_positive\tcount\n"
        for (i, b) in bins.enumerated() {
            calibration +=
                "\(i + 1)\t\(b.count > 0 ? String(b.meanScore) : "NA")\t"
                + "\(b.count > 0 ? String(b.fractionPositive) : "NA")\t\(b.count)\n"
        }
        try save(calibration, folder + "/" + prefix + "calibration.tsv")
        try save(
            LinePlot.svg(
                title: "\(title): calibration", xLabel: "mean P(fusion-positive) in bin", yLabel: "fraction positive",
                series: [
                    .init(
                        name: "model", color: "#109648",
                        points: bins.filter { $0.count > 0 }.map { ($0.meanScore, $0.fractionPositive) })
                ],
                xRange: 0...1, yRange: 0...1, diagonal: true),
            folder + "/" + prefix + "calibration.svg")
        return m
    }

    static func format(_ v: Double) -> String { v.isNaN ? "NA" : String((v * 1000).rounded() / 1000) }

    private static func save(_ text: String, _ path: String) throws {
        try OutputFile.write(text, to: path)
    }
}
