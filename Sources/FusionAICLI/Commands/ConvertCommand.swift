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
            + "3's legacy loader) reads; anything else the native format, which holds the architecture (JSON "
            + "metadata) and float32 weights and loads without running any code from the file."
    )

    @Argument(help: "Model file (.h5, .keras or .safetensors).")
    var input: String

    @Option(name: [.short, .long], help: "Output file: .safetensors (native) or .h5 (Keras HDF5).")
    var output: String

    func run() throws {
        let console = Console(command: "convert", quiet: false)
        try reportingFailures(console) {
            let model = try ModelFile.load(input)
            try ModelFile.save(model, to: output)
            console.info(
                "wrote \(output): \(model.spec.layers.count) layers, \(model.parameterCount) parameters (from "
                    + "\(try ModelFile.format(of: input).rawValue))"
            )
        }
    }
}
