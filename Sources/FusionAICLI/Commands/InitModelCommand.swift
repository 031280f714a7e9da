import ArgumentParser
import FusionAI
import NeuralNet

/// `fusionai init-model`: a FusionAI network with seeded random weights.
struct InitModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init-model",
        abstract: "Write a FusionAI network with seeded random (Glorot-uniform) weights.",
        discussion: """
            For trying the pipeline and for benchmarks before a trained model exists: its scores \
            mean nothing, and predict says so. Real analyses need the published newdat_newmod_jj.h5 \
            or a model trained with this tool.
            """
    )

    @Option(name: [.short, .long], help: "Output model: .safetensors (native) or .h5 (Keras HDF5).")
    var output: String

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @OptionGroup var architecture: ArchitectureOptions

    @OptionGroup var verbosity: QuietOption

    func run() throws {
        let console = Console(command: "init-model", quiet: verbosity.quiet)
        try reportingFailures(console) {
            let model = try Initializers.randomWeights(for: architecture.spec, seed: seed)
            try ModelFile.save(model, to: output)
            console.info(
                "wrote \(output): FusionAI architecture, \(model.parameterCount) parameters, "
                    + "random weights (seed \(seed))"
            )
        }
    }
}
