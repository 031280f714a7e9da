import SeededRandom

/// Keras `Dropout`: the identity at inference; in training each value is kept with probability
/// `1 - rate` and scaled by `1 / (1 - rate)` (inverted dropout, as Keras), else zeroed.
public struct Dropout: Layer {
    public let name: String
    public let rate: Float

    public init(name: String, rate: Float) {
        self.name = name
        self.rate = rate
    }

    public func outputShape(for input: [Int]) throws -> [Int] { input }

    public func forward(_ x: Tensor) -> Tensor { x }

    /// Training: y = x * mask.
    public func forward(_ x: Tensor, mode: PassMode) -> Tensor {
        guard let mask = mask(for: x, mode: mode) else { return x }
        return Tensor(shape: x.shape, data: zip(x.data, mask).map(*))
    }

    public func backward(input x: Tensor, output y: Tensor, outputGradient dy: Tensor, parameterGradients: Bool)
        -> LayerGradients
    {
        LayerGradients(input: dy)
    }

    /// Training: dx = dy * mask, the forward pass's mask drawn again from the same seeds.
    public func backward(
        input x: Tensor, output y: Tensor, outputGradient dy: Tensor, parameterGradients: Bool, mode: PassMode
    ) -> LayerGradients {
        guard let mask = mask(for: x, mode: mode) else { return LayerGradients(input: dy) }
        return LayerGradients(input: Tensor(shape: dy.shape, data: zip(dy.data, mask).map(*)))
    }

    /// The identity at inference, so the change passes unchanged.
    public func mutagenesisStep(at stage: MutagenesisStage, inputShape: [Int]) throws -> any MutagenesisStep {
        IdentityStep(next: stage)
    }

    /// The training mask for a batch `x`, `1 / (1 - rate)` or 0 per value, one seed per sample (so
    /// masks do not depend on how a batch is split); nil at inference or at rate 0.
    private func mask(for x: Tensor, mode: PassMode) -> [Float]? {
        guard case .training(let seeds) = mode, rate > 0 else { return nil }
        let sampleSize = x.sampleSize
        let keep = 1 / (1 - rate)
        var mask = [Float](repeating: 0, count: seeds.count * sampleSize)
        for (s, seed) in seeds.enumerated() {
            var rng = SeededGenerator(seed: seed)
            for i in 0..<sampleSize where Float(rng.next() >> 40) / Float(1 << 24) >= rate {
                mask[s * sampleSize + i] = keep
            }
        }
        return mask
    }
}
