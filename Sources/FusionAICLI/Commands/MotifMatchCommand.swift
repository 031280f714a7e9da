import ArgumentParser
import Foundation
import Motifs
import Pipeline

extension MotifComparison.ColumnScore: ExpressibleByArgument {}

/// `fusionai motifs match`: TOMTOM-style comparison of query motifs with a motif database.
struct MotifMatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Compare motifs with a motif database, TOMTOM-style (writes TOMTOM's TSV).",
        discussion: """
            Each query column is scored against every column of the database (both strands), the \
            scores centred on their median and binned; an alignment scores the sum over its \
            aligned columns (TOMTOM's complete score). p-values come from convolving the columns' \
            score distributions over each alignment's span and taking the maximum over the \
            target's alignments; E = p x targets; q by Benjamini-Hochberg over the query's \
            targets. Rows with q above --threshold are left out; each query's rows by p-value.
            """
    )

    @Argument(help: "Query motifs: a MEME file (`fusionai motifs` writes motifs.meme).")
    var query: String

    @Option(help: "Target motifs: a MEME file such as JASPAR's.")
    var database: String

    @Option(name: [.short, .long], help: "Output TSV (default: standard output).")
    var output = "-"

    @Option(help: "Column score: pearson (TOMTOM's default) or euclidean (memelite's).")
    var dist = MotifComparison.ColumnScore.pearson

    @Option(name: .customLong("min-overlap"), help: "Fewest aligned columns (or the shorter motif's width).")
    var minOverlap = 5

    @Option(help: "Largest q-value written (TOMTOM's -thresh).")
    var threshold = 0.5

    @Flag(name: .customLong("norc"), help: "Do not compare reverse complements of the targets.")
    var forwardOnly = false

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard minOverlap >= 1 else { throw ValidationError("--min-overlap must be at least 1.") }
        guard threshold > 0, threshold <= 1 else { throw ValidationError("--threshold must be in (0, 1].") }
    }

    func run() throws {
        let console = Console(command: "motifs match", quiet: common.quiet)
        var options = MotifMatchStep.Options(query: query, database: database, output: output)
        options.comparison.columnScore = dist
        options.comparison.minOverlap = minOverlap
        options.comparison.bothStrands = !forwardOnly
        options.threshold = threshold
        options.threads = common.threads
        try reportingFailures(console) { _ = try MotifMatchStep.run(options, log: console.log) }
    }
}
