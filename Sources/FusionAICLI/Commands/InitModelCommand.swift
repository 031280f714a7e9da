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

    @Option(name: [.short, .long], help: "Output model (.safetensors).")
    var output: String

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(name: .customLong("input-length"), help: "Input length in nt (head + tail windows; FusionAI: 20000).")
    var inputLength = 20_000

    @Option(name: .customLong("first-filters"), help: "Filters of the first convolution (FusionAI: 256).")
    var firstFilters = 256

    @Option(name: .customLong("second-filters"), help: "Filters of the second convolution (FusionAI: 32).")
    var secondFilters = 32

    func validate() throws {
        guard inputLength >= 480, inputLength <= 20_000, inputLength % 2 == 0 else {
            throw ValidationError("--input-length must be even, from 480 to 20000.")
        }
        guard firstFilters >= 1, secondFilters >= 1 else { throw ValidationError("filter counts must be positive.") }
    }

    func run() throws {
        let console = Console(command: "init-model", quiet: false)
        try reportingFailures(console) {
            let spec = FusionAIArchitecture.spec(inputLength: inputLength, firstFilters: firstFilters, secondFilters: secondFilters)
            let model = try Initializers.randomWeights(for: spec, seed: seed)
            try ModelFile.saveNative(model, to: output, untrained: true)
            console.info("wrote \(output): FusionAI architecture, \(model.parameterCount) parameters, random weights (seed \(seed))")
        }
    }
}
