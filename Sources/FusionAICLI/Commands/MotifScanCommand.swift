import ArgumentParser
import Foundation
import Pipeline

/// `fusionai motifs scan`: FIMO-style motif sites in the prepared windows, as a BED.
struct MotifScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Find motif sites in the prepared windows, FIMO-style (writes a BED in genome coordinates).",
        discussion: """
            Each motif becomes a log-odds matrix (FIMO's pseudocount, the MEME file's background); \
            every window position is scored on both strands and a site's p-value comes from the \
            exact distribution of the matrix's integer-rounded scores. Sites at p <= --threshold \
            are written as BED6 (score: -10 log10 p, capped at 1000; strand on the genome) and then \
            the log-odds score, p-value, fusion, window part and matched sequence; a `#` header \
            line leads. The BED is a `features` track as it stands.
            """
    )

    @Argument(help: "Fusions with windows: `fusionai prepare --genome` output or a FusionAI data file.")
    var input: String

    @Option(help: "Motifs: a MEME file such as JASPAR's.")
    var motifs: String

    @Option(name: [.short, .long], help: "Output BED (default: standard output; .gz for bgzip).")
    var output = "-"

    @Option(help: "Largest p-value written (FIMO's --thresh).")
    var threshold = 1e-4

    @Option(help: "Pseudocount added to the matrices (FIMO's --motif-pseudo).")
    var pseudocount = 0.1

    @Option(name: .customLong("motif"), help: "Scan only this motif (ID or name); repeatable.")
    var only: [String] = []

    @Flag(name: .customLong("norc"), help: "Scan the forward strand of each window only.")
    var forwardOnly = false

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard threshold > 0, threshold <= 1 else { throw ValidationError("--threshold must be in (0, 1].") }
        guard pseudocount >= 0, pseudocount <= 1_000 else {
            throw ValidationError("--pseudocount must be from 0 to 1000 (got \(pseudocount)).")
        }
    }

    func run() throws {
        let console = Console(command: "motifs scan", quiet: common.quiet)
        var options = MotifScanStep.Options(motifs: motifs, input: input, output: output)
        options.scan.threshold = threshold
        options.scan.pseudocount = pseudocount
        options.scan.bothStrands = !forwardOnly
        options.only = only
        options.threads = common.threads
        try reportingFailures(console) { _ = try MotifScanStep.run(options, log: console.log) }
    }
}
