import ArgumentParser

/// The `fusionai` command: one subcommand per step of the FusionAI protocol.
public struct FusionAICommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "fusionai",
        abstract: "Score gene-fusion breakpoints from the DNA around them (FusionAI, Kim et al. 2021).",
        discussion: """
            Exit status: 0 on success, 1 when a run fails (input, genome or output error), \
            64 for a usage error.
            """,
        version: FusionAIVersion.current,
        subcommands: [
            PrepareCommand.self, PredictCommand.self, NegativesCommand.self, ExplainCommand.self, FeaturesCommand.self,
            ReportCommand.self, RunCommand.self, CohortCommand.self, MotifsCommand.self, SeqletsCommand.self,
            VariantsCommand.self, ScanCommand.self, TrainCommand.self, EvaluateCommand.self,
            ConvertCommand.self, InitModelCommand.self, ExampleCommand.self, VersionCommand.self,
        ]
    )

    public init() {}

    /// Runs the command line. A first word that is no subcommand is said to be one, with the
    /// closest names (the parser would call it an unexpected argument).
    public static func main() {
        if let word = CommandLine.arguments.dropFirst().first, let message = unknownSubcommand(word) {
            exit(withError: ValidationError(message))
        }
        main(nil)
    }

    /// Why `word`, the first argument, names no subcommand; nil when it names one or is an option.
    static func unknownSubcommand(_ word: String) -> String? {
        let names = configuration.subcommands.map { $0._commandName }
        guard !word.hasPrefix("-"), word != "help", !names.contains(word) else { return nil }
        let close = names.filter { $0.hasPrefix(word) || editDistance(word, $0) <= 2 }
        let suggestion = close.isEmpty ? "" : "; did you mean \(close.map { "'\($0)'" }.joined(separator: " or "))?"
        return "'\(word)' is not a fusionai subcommand\(suggestion)"
    }

    /// The number of single-character insertions, deletions and substitutions from `a` to `b`.
    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for j in b.indices {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == b[j] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
