import Foundation
import SeededRandom

/// Weight initialisers, seeded and platform-independent (``SeededGenerator``), so a seeded model
/// is the same everywhere.
public enum Initializers {
    /// Keras's `glorot_uniform`: U(-limit, limit), `limit = sqrt(6 / (fanIn + fanOut))`, where for a
    /// convolution kernel `[k..., in, out]` the fans are `in * receptive` and `out * receptive`.
    public static func glorotUniform(shape: [Int], seed: UInt64) -> Tensor {
        let receptive = shape.dropLast(2).reduce(1, *)
        let fanIn = (shape.count >= 2 ? shape[shape.count - 2] : shape[0]) * receptive
        let fanOut = (shape.last ?? 1) * receptive
        let limit = Float((6.0 / Double(fanIn + fanOut)).squareRoot())
        var rng = SeededGenerator(seed: seed)
        let values = (0..<shape.reduce(1, *)).map { _ -> Float in
            (Float(rng.next() >> 40) / Float(1 << 24) * 2 - 1) * limit
        }
        return Tensor(shape: shape, data: values)
    }

    /// Weights for every layer of `spec`: Glorot-uniform kernels, zero biases (Keras's defaults),
    /// BatchNormalization at identity; each weight seeded from `seed` and its name.
    public static func randomWeights(for spec: ModelSpec, seed: UInt64) throws -> Model {
        try Model(spec: spec, isUntrained: true) { layer, weight, shape in
            switch weight {
            case "kernel":
                var key = seed
                for byte in "\(layer)/\(weight)".utf8 { key = (key ^ UInt64(byte)) &* 0x100_0000_01b3 }
                return glorotUniform(shape: shape, seed: key)
            case "gamma", "moving_variance":
                return Tensor(shape: shape, data: [Float](repeating: 1, count: shape.reduce(1, *)))
            default:
                return Tensor(zeros: shape)
            }
        }
    }
}
