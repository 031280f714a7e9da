import Foundation
import Results
import Support

/// MultiQC custom content for one run or a cohort: per sample the calls, the positive calls and their
/// score distribution, in the two tables of ``MultiQCTables`` with the YAML header lines MultiQC
/// reads, so `multiqc RESULTS` (the report aggregator of nf-core pipelines) shows a FusionAI section.
public enum MultiQCStep {
    /// One sample's calls.
    public struct Sample: Sendable {
        public let name: String
        /// Every call, scored or not.
        public let calls: Int
        /// P(fusion-positive) of each scored call (NA, no window or a non-finite score, left out).
        public let probabilities: [Float]
        /// How many of them are called positive.
        public let positives: Int

        /// - Parameter scores: each call's P(fusion-positive), nil where it has none.
        public init(name: String, scores: [Float?], positives: Int) {
            self.name = name
            self.calls = scores.count
            self.probabilities = scores.compactMap { $0.flatMap { $0.isFinite ? $0 : nil } }
            self.positives = positives
        }
    }

    public struct Options: Sendable {
        public var samples: [Sample]
        /// How a call is made, for the section's description (e.g. "P >= 0.5").
        public var callRule: String
        /// The folder the two files go in (created if missing).
        public var folder: String

        public init(samples: [Sample], callRule: String, folder: String) {
            self.samples = samples
            self.callRule = callRule
            self.folder = folder
        }
    }

    /// - Throws: ``OutputError``.
    public static func run(_ options: Options, log: StepLog = .silent) throws {
        try OutputTarget.makeFolder(options.folder)
        let calls = MultiQCTables.calls
        var table = header(
            id: "fusionai_calls", name: "Calls",
            description: "Fusion calls scored by FusionAI; a call is positive at \(options.callRule).", plot: "table")
        table += calls.header()
        let scores = MultiQCTables.scores
        var histogram = header(
            id: "fusionai_scores", name: "Score distribution",
            description: "Calls in each tenth of P(fusion-positive).", plot: "bargraph")
        histogram += "#     ylab: 'calls'\n"
        histogram += scores.header()
        for sample in options.samples {
            let n = sample.probabilities.count
            let mean = n == 0 ? 0 : sample.probabilities.reduce(0, +) / Float(n)
            let fraction = n == 0 ? 0 : Double(sample.positives) / Double(n)
            table += calls.line([
                sample.name, String(sample.calls), String(n), String(sample.positives), String(fraction), String(mean),
            ])
            var bins = [Int](repeating: 0, count: scores.columns.count - 1)
            for p in sample.probabilities {
                bins[min(bins.count - 1, max(0, Int(p * Float(bins.count))))] += 1
            }
            histogram += scores.line([sample.name] + bins.map(String.init))
        }
        try OutputFile.write(table, to: options.folder + "/" + calls.file)
        try OutputFile.write(histogram, to: options.folder + "/" + scores.file)
        log.info("MultiQC tables for \(options.samples.count) sample(s) in \(options.folder)")
    }

    /// MultiQC's custom-content header: YAML in `#` lines, both tables under one parent section.
    private static func header(id: String, name: String, description: String, plot: String) -> String {
        [
            "id: '\(id)'", "parent_id: '\(MultiQCTables.section)'", "parent_name: '\(MultiQCTables.sectionName)'",
            "section_name: '\(name)'", "description: '\(description.replacingOccurrences(of: "'", with: "''"))'",
            "plot_type: '\(plot)'", "pconfig:", "    id: '\(id)_plot'", "    title: 'FusionAI: \(name.lowercased())'",
        ].map { "# " + $0 + "\n" }.joined()
    }
}
