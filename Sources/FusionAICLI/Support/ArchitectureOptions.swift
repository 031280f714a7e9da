import ArgumentParser
import FusionAI
import NeuralNet

/// The shape of a new FusionAI network, for the commands that make one (init-model, train).
struct ArchitectureOptions: ParsableArguments {
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

    var spec: ModelSpec {
        FusionAIArchitecture.spec(inputLength: inputLength, firstFilters: firstFilters, secondFilters: secondFilters)
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
