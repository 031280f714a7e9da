import Fusions
import Genome
import NeuralNet

/// Scores breakpoint pairs with a FusionAI-family model: the head window followed by the tail
/// window, one-hot, into the network; out come P(fusion-negative) and P(fusion-positive).
///
/// Models with a shorter input than 20,000 nt see the central part of each 10-kb window
/// (`inputLength / 2` bases, centred on the breakpoint), so smaller variants score the same files.
public struct FusionScorer: Sendable {
    public let model: Model
    /// Bases of each window the model sees.
    public let windowLength: Int
    /// True when the model ends in one sigmoid unit (P(positive)) instead of a two-way softmax.
    private let singleOutput: Bool
    /// The k-mer baseline's encoding, for models that take k-mer spectra instead of one-hot DNA.
    public let kmers: KmerFeatures?

    /// Whether the model reads positions (one-hot DNA), so per-position attribution applies.
    public var readsPositions: Bool { kmers == nil }

    /// - Throws: ``ModelError`` when the model does not take `[2w, 4, 1]` or `[2w, 4]` one-hot input
    ///   with `w <= 10,000`, or does not give 2 (or 1) outputs.
    public init(model: Model) throws {
        if let encoding = model.spec.encoding {
            guard let features = KmerFeatures(encoding: encoding), model.inputShape == [features.count] else {
                throw ModelError(
                    .unsupportedModel,
                    "model encoding '\(encoding)' with input \(model.inputShape) is not one fusionai knows "
                        + "(kmer:K with 2 x 4^K inputs)")
            }
            guard model.outputShape == [2] || model.outputShape == [1] else {
                throw ModelError(
                    .unsupportedModel,
                    "model output \(model.outputShape) is not 2 probabilities (negative, positive) or 1 (positive)")
            }
            self.model = model
            windowLength = WindowRule.length
            singleOutput = model.outputShape == [1]
            kmers = features
            return
        }
        kmers = nil
        let input = model.inputShape
        guard (input.count == 3 && input[1] == 4 && input[2] == 1) || (input.count == 2 && input[1] == 4),
            input[0] % 2 == 0, input[0] / 2 <= WindowRule.length, input[0] >= 2
        else {
            throw ModelError(
                .unsupportedModel,
                "model input \(input) is not a FusionAI-style input "
                    + "([L, 4, 1] or [L, 4] one-hot, L even, at most 20,000)")
        }
        guard model.outputShape == [2] || model.outputShape == [1] else {
            throw ModelError(
                .unsupportedModel,
                "model output \(model.outputShape) is not 2 probabilities (negative, positive) or 1 (positive)")
        }
        self.model = model
        windowLength = input[0] / 2
        singleOutput = model.outputShape == [1]
    }

    /// Index of the first window base the model sees (0 for 20,000-nt models).
    public var cropStart: Int { (WindowRule.length - windowLength) / 2 }

    /// The one-hot model input for pairs of 10-kb windows: `[pairs] + inputShape`.
    public func encode(_ pairs: [(head: [UInt8], tail: [UInt8])]) -> Tensor {
        let per = model.inputShape.reduce(1, *)
        var data = [Float](repeating: 0, count: pairs.count * per)
        let start = cropStart
        data.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for (i, pair) in pairs.enumerated() {
                let sample = base + i * per
                if let kmers {
                    kmers.encode(head: pair.head, tail: pair.tail, into: sample)
                    continue
                }
                OneHot.encode(pair.head[start..<(start + windowLength)], into: sample)
                OneHot.encode(pair.tail[start..<(start + windowLength)], into: sample + windowLength * 4)
            }
        }
        return Tensor(shape: [pairs.count] + model.inputShape, data: data)
    }

    /// P(positive) for encoded inputs.
    public func probabilities(_ x: Tensor, threads: Int) -> [Float] {
        let y = model.predict(x, threads: threads)
        return (0..<x.batch).map { singleOutput ? y.data[$0] : y.data[2 * $0 + 1] }
    }

    /// P(negative) and P(positive) for each pair of 10-kb windows, in order.
    public func score(_ pairs: [(head: [UInt8], tail: [UInt8])], threads: Int) -> [(negative: Float, positive: Float)] {
        guard !pairs.isEmpty else { return [] }
        let y = model.predict(encode(pairs), threads: threads)
        return (0..<pairs.count).map { (i: Int) -> (negative: Float, positive: Float) in
            if singleOutput { return (1 - y.data[i], y.data[i]) }
            return (y.data[2 * i], y.data[2 * i + 1])
        }
    }
}
