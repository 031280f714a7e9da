import Foundation
import Results
import Seqlets
import Support

/// Seqlets from an explain folder's attributions, in genome coordinates, and optionally the motifs
/// they share (TF-MoDISco-style discovery), into a ``SeqletsFolder``.
public enum SeqletsStep {
    public struct Options: Sendable {
        /// The folder `explain` wrote.
        public var explain: String
        /// The folder (created if missing).
        public var output: String
        /// Seqlet calling: window, flanks, FDR, permutations, seed.
        public var caller = SeqletCaller()
        /// Discovery settings; nil calls seqlets only (the seqlet length is the caller's).
        public var discovery: PatternDiscovery?
        /// Seqlets of each sign sampled for discovery.
        public var maxSeqlets = SeqletsJob().maxSeqletsPerSign
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
        job.caller = options.caller
        job.discovery = options.discovery
        job.maxSeqletsPerSign = options.maxSeqlets
        job.threads = options.threads
        let output = SeqletsFolder(path: options.output)
        guard OutputTarget.canonical(options.output) != OutputTarget.canonical(options.explain) else {
            throw OutputError(
                .badPath, path: options.output,
                "is the explain folder seqlets reads (both write summary.tsv): give seqlets a folder of its own")
        }
        let lock = try OutputLock.claimFolder(options.output)
        defer { lock.release() }
        let found = try job.run(explain: ExplainFolder(path: options.explain), into: output) {
            log.progress(.status("\($0) fusion(s) called"))
        }
        log.info(
            "\(found.positiveSeqlets) positive and \(found.negativeSeqlets) negative seqlet(s) in \(found.fusions) "
                + "fusion(s) into \(options.output)/ (seqlets.bed, \(SeqletsTable.schema.file))")
        if found.nonFinite > 0 {
            log.warning(
                "\(found.nonFinite) fusion(s) have NaN or infinite scores (at \(found.nonFinitePositions) "
                    + "position(s) in all): no seqlet was called in them, their summary rows say NA (rerun "
                    + "explain; NaN scores come from a damaged explain folder or model)")
        }
        if found.shortParts > 0 {
            log.warning(
                "\(found.shortParts) window(s) are shorter than a seqlet (--window \(options.caller.window) + 2 x "
                    + "--flank \(options.caller.flank) nt): no seqlet can be called there (the model reads fewer "
                    + "positions; give a smaller --window or --flank)")
        }
        if found.unplaced > 0 { log.warning("\(found.unplaced) seqlet(s) lie wholly on padding past a chromosome end") }
        if options.discovery != nil {
            if found.nonFiniteHypothetical > 0 {
                log.warning(
                    "\(found.nonFiniteHypothetical) fusion(s) have NaN or infinite values in ID.hyp.npy: their "
                        + "seqlets were left out of discovery (rerun explain; they come from a damaged explain folder "
                        + "or model)")
            }
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
