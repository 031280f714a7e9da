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
}
