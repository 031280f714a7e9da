import ArgumentParser
import Foundation
import Pipeline
import Seqlets

/// `fusionai seqlets`: windows of high attribution in explained fusions, and the motifs they share.
struct SeqletsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seqlets",
        abstract: "Seqlets (windows of high attribution) from an explain folder, and motifs discovered from them.",
        discussion: """
            Per fusion, the attribution summed over a sliding window (--window) is compared with the \
            same sums over seeded permutations of its positions: windows passing the target FDR on \
            either side become seqlets, highest first, each widened by --flank on both sides, none \
            overlapping and none crossing the head/tail junction (TF-MoDISco-lite's rule). Writes \
            OUT/seqlets.bed (BED6, genome coordinates, the partner's strand, the summed attribution \
            in the name, score 0-1000 against the fusion's largest), OUT/seqlets.tsv (window and \
            genome span, distance to the breakpoint, sign, sums), OUT/fusions/ID.seqlets.{bed,tsv} \
            and OUT/summary.tsv (thresholds and counts). \
            With --discover, seqlets of each sign (a seeded sample of --max-seqlets) are clustered by \
            the correlation of their hypothetical contributions (ID.hyp.npy from deeplift or \
            deepliftshap; else the scores at the present bases) at the best offset and strand, and each \
            cluster of --min-seqlets or more is aligned into a contribution-weight matrix and a PWM: \
            OUT/patterns/{positive,negative}_patterns.meme, patterns.tsv, pattern_matrices.tsv and \
            logos/PATTERN.{pwm,cwm}.svg.
            """
    )

    @Argument(help: "The folder `fusionai explain -o` wrote.")
    var explain: String

    @Option(name: [.short, .long], help: "Output folder (created if missing).")
    var output: String

    @Option(help: "Core window summed over, nt.")
    var window = SeqletCaller().window

    @Option(help: "Flank added to each side of a passing window, nt.")
    var flank = SeqletCaller().flank

    @Option(help: "Target false discovery rate of the windows, against the permutation null.")
    var fdr = SeqletCaller().targetFDR

    @Option(name: .customLong("max-passing"), help: "At most this fraction of windows may pass (stricter beyond).")
    var maxPassing = SeqletCaller().maxPassingFraction

    @Option(help: "Seed of the permutation null and of discovery's sampling.")
    var seed = SeqletCaller().seed

    @Option(help: "Permutations of each fusion's positions pooled into its null (more: fewer chance seqlets).")
    var permutations = SeqletCaller().permutations

    @Flag(help: "Also discover motifs from the seqlets.")
    var discover = false

    @Option(name: .customLong("max-seqlets"), help: "Discovery: seqlets of each sign sampled (bounds memory).")
    var maxSeqlets = SeqletsJob().maxSeqletsPerSign

    @Option(help: "Discovery: correlation at which a seqlet joins a pattern.")
    var similarity = PatternDiscovery.defaults.similarity

    @Option(name: .customLong("min-seqlets"), help: "Discovery: seqlets a pattern needs.")
    var minSeqlets = PatternDiscovery.defaults.minSeqlets

    @Option(name: .customLong("max-patterns"), help: "Discovery: patterns of each sign at most.")
    var maxPatterns = PatternDiscovery.defaults.maxPatterns

    @Option(help: "Discovery: trim pattern ends whose summed |CWM| is under this fraction of the largest.")
    var trim = PatternDiscovery.defaults.trimThreshold

    @OptionGroup var common: CommonOptions

    func validate() throws {
        // A window or flank is at most one partner's 10-kb window; each permutation holds a fusion's
        // 20,000 window sums in memory, so 1,000 (80 MB a fusion) is the most.
        guard (1...10_000).contains(window), (0...10_000).contains(flank), (1...1_000).contains(permutations) else {
            throw ValidationError(
                "--window must be from 1 to 10000 (one partner's window), --flank from 0 to 10000 and "
                    + "--permutations from 1 to 1000 (got \(window), \(flank), \(permutations)).")
        }
        guard fdr > 0, fdr < 1, maxPassing > 0, maxPassing <= 1 else {
            throw ValidationError("--fdr must be in (0, 1) and --max-passing in (0, 1].")
        }
        guard maxSeqlets >= 1, minSeqlets >= 1, maxPatterns >= 1 else {
            throw ValidationError("--max-seqlets, --min-seqlets and --max-patterns must be at least 1.")
        }
        guard similarity > -1, similarity < 1, trim >= 0, trim < 1 else {
            throw ValidationError("--similarity must be in (-1, 1) and --trim in [0, 1).")
        }
    }

    func run() throws {
        let console = Console(command: "seqlets", quiet: common.quiet)
        var options = SeqletsStep.Options(explain: explain, output: output)
        options.caller.window = window
        options.caller.flank = flank
        options.caller.targetFDR = fdr
        options.caller.maxPassingFraction = maxPassing
        options.caller.seed = seed
        options.caller.permutations = permutations
        if discover {
            var discovery = PatternDiscovery.defaults
            discovery.similarity = similarity
            discovery.minSeqlets = minSeqlets
            discovery.maxPatterns = maxPatterns
            discovery.trimThreshold = trim
            discovery.seed = seed
            options.discovery = discovery
        }
        options.maxSeqlets = maxSeqlets
        options.threads = common.threads
        try reportingFailures(console) { try SeqletsStep.run(options, log: console.log) }
    }
}
