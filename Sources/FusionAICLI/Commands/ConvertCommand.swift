import ArgumentParser
import NeuralNet

/// `fusionai convert`: any model file fusionai reads -> the native safetensors format.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract:
            "Convert models: Keras .h5 / .keras / .safetensors in; fusionai .safetensors or Keras HDF5 (.h5) out.",
        discussion:
            "The output's name decides its format: .h5/.hdf5 writes a Keras 2 HDF5 file that tf_keras (and Keras "
            + "3's legacy loader) reads; .safetensors (or another name but .keras, which is refused) the native "
            + "format, which holds the architecture (JSON "
            + "metadata) and float32 weights and loads without running any code from the file."
    )

    @Argument(help: "Model file (.h5, .keras or .safetensors).")
    var input: String

    @Option(name: [.short, .long], help: "Output file: .safetensors (native) or .h5 (Keras HDF5).")
    var output: String

    @OptionGroup var verbosity: QuietOption

    func run() throws {
        let console = Console(command: "convert", quiet: verbosity.quiet)
        try reportingFailures(console) {
            let model = try ModelFile.load(input)
            // Converted as they are, but said: every score of such a model is NA.
            let damaged = model.weights.filter { !$0.value.data.allSatisfy(\.isFinite) }
            if !damaged.isEmpty {
                let count = damaged.values.reduce(0) { $0 + $1.data.count(where: { !$0.isFinite }) }
                let tensors = damaged.keys.sorted().joined(separator: ", ")
                console.log.warning(
                    "\(input): \(count) weight(s) are NaN or infinite (in \(tensors)): converted as they are, but "
                        + "every score of this model will be NA")
            }
            try ModelFile.save(model, to: output)
            console.info(
                "wrote \(output): \(model.spec.layers.count) layers, \(model.parameterCount) parameters (from "
                    + "\(try ModelFile.format(of: input).rawValue))"
            )
        }
    }
}
