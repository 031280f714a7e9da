import ArgumentParser
import FusionAI
import NeuralNet

/// The shape of a new FusionAI network, for the commands that make one (init-model, train).
struct ArchitectureOptions: ParsableArguments {
    // Optional so that train can tell them given from defaulted (--initial brings its own shape).
    @Option(name: .customLong("input-length"), help: "Input length in nt (head + tail windows; default 20000).")
    var inputLength: Int?

    @Option(name: .customLong("first-filters"), help: "Filters of the first convolution (default 256).")
    var firstFilters: Int?

    @Option(name: .customLong("second-filters"), help: "Filters of the second convolution (default 32).")
    var secondFilters: Int?

    func validate() throws {
        let length = inputLength ?? FusionAIArchitecture.inputLength
        guard length >= 480, length <= 20_000, length % 2 == 0 else {
            throw ValidationError("--input-length must be even, from 480 to 20000.")
        }
        guard (firstFilters ?? 1) >= 1, (secondFilters ?? 1) >= 1 else {
            throw ValidationError("filter counts must be positive.")
        }
    }

    /// Whether any of the options was given.
    var isGiven: Bool { inputLength != nil || firstFilters != nil || secondFilters != nil }

    /// FusionAI's architecture with the options given and the paper's sizes for the rest.
    var spec: ModelSpec {
        FusionAIArchitecture.spec(
            inputLength: inputLength ?? FusionAIArchitecture.inputLength,
            firstFilters: firstFilters ?? FusionAIArchitecture.firstFilters,
            secondFilters: secondFilters ?? FusionAIArchitecture.secondFilters)
    }
}

/// `train --optimizer`: the method, with the default learning rate of each.
enum OptimizerChoice: String, ExpressibleByArgument, CaseIterable {
    case adadelta, adam, sgd

    func make(learningRate: Float?, momentum: Float) -> any Optimizer {
        switch self {
        case .adadelta: Adadelta(learningRate: learningRate ?? 1.0)
        case .adam: Adam(learningRate: learningRate ?? 0.001)
        case .sgd: SGD(learningRate: learningRate ?? 0.01, momentum: momentum)
        }
    }
}

/// `train --model`: a FusionAI network, or the k-mer spectrum baseline.
enum ArchitectureChoice: String, ExpressibleByArgument, CaseIterable {
    case fusionai, kmer
}
