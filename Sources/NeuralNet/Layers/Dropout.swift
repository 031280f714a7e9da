import SeededRandom

/// Keras `Dropout`: the identity at inference (Keras scales during training instead, "inverted dropout").
public struct Dropout: Layer {
    public let name: String
    public let rate: Float

    public init(name: String, rate: Float) {
        self.name = name
        self.rate = rate
    }

    public func outputShape(for input: [Int]) throws -> [Int] { input }

    public func forward(_ x: Tensor) -> Tensor { x }

    public func backward(input x: Tensor, output y: Tensor, outputGradient dy: Tensor, parameterGradients: Bool)
        -> LayerGradients
    {
        LayerGradients(input: dy)
    }

    /// Training: each value kept with probability `1 - rate` and scaled by `1 / (1 - rate)`
    /// (inverted dropout, as Keras), else zeroed. The mask multiplies the forward values and the
    /// gradients alike; one seed per sample, so masks do not depend on how a batch is split.
    public func trainingMask(sampleSize: Int, seeds: [UInt64]) -> [Float] {
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
