import Foundation
import NeuralNet
import SeededRandom

/// Trains a small network with a sigmoid output to tell sequences carrying a planted motif from
/// sequences without, for the tests that check attribution and discovery find the motif.
enum PlantedMotifTraining {
    /// One-hot `[batch, length, 4]` (A, C, G, T; anything else all zero).
    static func oneHot(_ batch: [[UInt8]]) -> Tensor {
        let length = batch.first?.count ?? 0
        var data = [Float](repeating: 0, count: batch.count * length * 4)
        for (s, bases) in batch.enumerated() {
            for (i, b) in bases.enumerated() {
                if let c = Array("ACGT".utf8).firstIndex(of: b) { data[(s * length + i) * 4 + c] = 1 }
            }
        }
        return Tensor(shape: [batch.count, length, 4], data: data)
    }

    /// `steps` batches of 32, alternately positive and negative, drawn by `sample` from one
    /// generator seeded `dataSeed`; binary cross-entropy; Adam (lr 0.02, betas 0.9 / 0.999),
    /// written out here so the tests do not depend on the trainer's choices.
    static func train(
        spec: ModelSpec, weightSeed: UInt64, dataSeed: UInt64, steps: Int,
        sample: (inout SeededGenerator, _ positive: Bool) -> [UInt8]
    ) throws -> Model {
        var model = try Initializers.randomWeights(for: spec, seed: weightSeed)
        var rng = SeededGenerator(seed: dataSeed)
        var weights = model.weights
        var m = weights.mapValues { [Float](repeating: 0, count: $0.count) }
        var v = m
        for step in 1...steps {
            var batch: [[UInt8]] = []
            var labels: [Float] = []
            for i in 0..<32 {
                batch.append(sample(&rng, i % 2 == 0))
                labels.append(i % 2 == 0 ? 1 : 0)
            }
            // Binary cross-entropy through the sigmoid: dL/dy = (y - t) / (y (1 - y)) / batch.
            let grads = model.gradients(oneHot(batch), parameterGradients: true) { y in
                Tensor(
                    shape: y.shape,
                    data: zip(y.data, labels).map { p, t in
                        let q = min(max(p, 1e-6), 1 - 1e-6)
                        return (q - t) / (q * (1 - q)) / Float(labels.count)
                    })
            }.parameters
            for (key, g) in grads {
                guard let w = weights[key], var mk = m[key], var vk = v[key] else { continue }
                var updated = w.data
                let c1 = 1 - pow(0.9, Float(step))
                let c2 = 1 - pow(0.999, Float(step))
                for i in updated.indices {
                    mk[i] = 0.9 * mk[i] + 0.1 * g.data[i]
                    vk[i] = 0.999 * vk[i] + 0.001 * g.data[i] * g.data[i]
                    updated[i] -= 0.02 * (mk[i] / c1) / ((vk[i] / c2).squareRoot() + 1e-7)
                }
                (m[key], v[key]) = (mk, vk)
                weights[key] = Tensor(shape: w.shape, data: updated)
            }
            model = try Model(spec: spec, weights: weights)
        }
        return model
    }
}
