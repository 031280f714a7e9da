import ArgumentParser
import NeuralNet

/// `fusionai convert`: any model file fusionai reads -> the native safetensors format.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a Keras .h5 / .keras model to fusionai's .safetensors format.",
        discussion: "The native file holds the architecture (JSON metadata) and float32 weights; it loads without running any code from the file."
    )

    @Argument(help: "Model file (.h5, .keras or .safetensors).")
    var input: String

    @Option(name: [.short, .long], help: "Output .safetensors file.")
    var output: String

    func run() throws {
        let console = Console(command: "convert", quiet: false)
        try reportingFailures(console) {
            let model = try ModelFile.load(input)
            try ModelFile.saveNative(model, to: output, untrained: model.isUntrained)
            console.info("wrote \(output): \(model.spec.layers.count) layers, \(model.parameterCount) parameters (from \(try ModelFile.format(of: input).rawValue))")
        }
    }
}
