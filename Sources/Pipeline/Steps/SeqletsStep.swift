import Foundation
import Results
import Seqlets

/// Seqlets from an explain folder's attributions, in genome coordinates, and optionally the motifs
/// they share (TF-MoDISco-style discovery), into a ``SeqletsFolder``.
public enum SeqletsStep {
    public struct Options: Sendable {
        /// The folder `explain` wrote.
        public var explain: String
        /// The folder (created if missing).
        public var output: String
        /// Core window summed over and flanks added on each side, nt.
        public var window = 21
        public var flank = 10
        public var targetFDR = 0.2
        public var maxPassingFraction = 0.2
        public var seed: UInt64 = 1
        /// Permutations of each fusion's positions pooled into its null.
        public var permutations = 10
        /// Discover patterns from the seqlets.
        public var discover = false
        /// Seqlets of each sign sampled for discovery.
        public var maxSeqlets = 20_000
        /// Correlation at which a seqlet joins a pattern.
        public var similarity: Float = 0.75
        /// Seqlets a pattern needs.
        public var minSeqlets = 20
        public var maxPatterns = 30
        /// Fraction of the largest |CWM| column below which pattern ends are trimmed.
        public var trimThreshold = 0.3
        public var threads = 1

        public init(explain: String, output: String) {
            self.explain = explain
            self.output = output
        }
    }

    /// - Throws: ``SeqletsError``, ``ResultsFileError``, ``OutputError``.
    @discardableResult
    public static func run(_ options: Options, log: StepLog = .silent) throws -> SeqletsJob.Found {
        var job = SeqletsJob()
        job.caller.window = options.window
        job.caller.flank = options.flank
        job.caller.targetFDR = options.targetFDR
        job.caller.maxPassingFraction = options.maxPassingFraction
        job.caller.seed = options.seed
        job.caller.permutations = options.permutations
        job.maxSeqletsPerSign = options.maxSeqlets
        job.threads = options.threads
        if options.discover {
            var discovery = PatternDiscovery(seqletLength: options.window + 2 * options.flank)
            discovery.similarity = options.similarity
            discovery.minSeqlets = options.minSeqlets
            discovery.maxPatterns = options.maxPatterns
            discovery.trimThreshold = options.trimThreshold
            discovery.seed = options.seed
            job.discovery = discovery
        }
        let output = SeqletsFolder(path: options.output)
        try FileManager.default.createDirectory(atPath: options.output, withIntermediateDirectories: true)
        let found = try job.run(explain: ExplainFolder(path: options.explain), into: output) {
            log.progress(.status("\($0) fusion(s) called"))
        }
        log.info(
            "\(found.positiveSeqlets) positive and \(found.negativeSeqlets) negative seqlet(s) in \(found.fusions) "
                + "fusion(s) into \(options.output)/ (seqlets.bed, \(SeqletsTable.schema.file))")
        if found.unplaced > 0 { log.warning("\(found.unplaced) seqlet(s) lie wholly on padding past a chromosome end") }
        if options.discover {
            if found.withoutHypothetical > 0 {
                log.warning(
                    "\(found.withoutHypothetical) fusion(s) have no ID.hyp.npy: discovery used their scores at the "
                        + "present bases (explain with --method deeplift or deepliftshap writes hypothetical ones)")
            }
            let positive = found.patterns.filter { $0.sign == .positive }.count
            log.info(
                "\(positive) positive and \(found.patterns.count - positive) negative pattern(s) from "
                    + "\(found.sampled[0]) + \(found.sampled[1]) sampled seqlet(s) into \(output.patterns.path)/")
        }
        return found
    }
}
