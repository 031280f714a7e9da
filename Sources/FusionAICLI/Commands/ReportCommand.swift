import ArgumentParser
import Foundation
import Pipeline

/// `fusionai report`: one HTML file from the outputs of predict, explain and features.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "One self-contained HTML report from predict, explain and features outputs.",
        discussion: """
            The page works from disk with no network: a sortable, filterable table of the \
            predictions (row N links to its explain figure when --fis holds rowN_*.svg), each \
            explained fusion's scores over its feature tracks and its attribution figure, the feature \
            landscape and enrichment figures and \
            tables, with the explained fusions' feature coverage (--features), where seqlets fall and the \
            discovered patterns' logos and top matches (--seqlets, --motif-matches), and the run: the \
            --fact lines, inputs, the versions of fusionai and its native libraries, the command.
            """
    )

    @Argument(help: "Predictions TSV written by `fusionai predict`.")
    var predictions: String

    @Option(help: "Folder written by `fusionai explain` for the same input.")
    var fis: String?

    @Option(help: "Folder written by `fusionai features`.")
    var features: String?

    @Option(help: "Folder written by `fusionai seqlets` (with --discover: pattern logos too).")
    var seqlets: String?

    @Option(help: "`fusionai motifs match` of the discovered patterns: each pattern's top match.")
    var motifMatches: String?

    @Option(help: "Report title.")
    var title = "FusionAI report"

    @Option(
        name: .customLong("fact"),
        help: ArgumentHelp(
            "A NAME=VALUE line for the report's Run section (repeatable); "
                + "`fusionai run` lists its parameters this way.",
            valueName: "name=value"))
    var facts: [String] = []

    @Option(name: [.short, .long], help: "Output HTML file.")
    var output: String

    @OptionGroup var common: CommonOptions

    func validate() throws {
        for fact in facts where !fact.contains("=") || fact.hasPrefix("=") {
            throw ValidationError("--fact takes NAME=VALUE with a name, not '\(fact)'.")
        }
        // The matches are shown beside the seqlets folder's patterns: alone they would be ignored.
        if motifMatches != nil, seqlets == nil {
            throw ValidationError("--motif-matches needs --seqlets (the folder whose patterns were matched).")
        }
    }

    func run() throws {
        let console = Console(command: "report", quiet: common.quiet)
        var options = ReportStep.Options(predictions: predictions, provenance: .current, output: output)
        options.explained = fis
        options.features = features
        options.seqlets = seqlets
        options.motifMatches = motifMatches
        options.title = title
        options.facts = facts.map { fact in
            let parts = fact.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return ReportStep.Fact(String(parts[0]), String(parts[1]))
        }
        try reportingFailures(console) { _ = try ReportStep.run(options, log: console.log) }
    }
}

extension ReportStep.Provenance {
    /// This binary, its libraries and its command line.
    static var current: ReportStep.Provenance {
        ReportStep.Provenance(
            tool: "fusionai \(FusionAIVersion.current)",
            libraries: FusionAIVersion.libraries.map { "\($0.name) \($0.version)" }.joined(separator: "; "),
            command: CommandLine.arguments.joined(separator: " "))
    }
}
