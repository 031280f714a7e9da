import Foundation

/// Cross-entropy of a model's probabilities against integer class labels, and its gradient with
/// respect to the probabilities (the layers' backward passes carry it through softmax or sigmoid).
/// Probabilities are clipped to `[1e-7, 1 - 1e-7]` as Keras does.
public enum CrossEntropy {
    static let epsilon: Float = 1e-7

    /// - Parameters:
    ///   - probabilities: `[n, classes]` softmax outputs, or `[n, 1]` sigmoid outputs (P(class 1)).
    ///   - labels: class of each sample.
    /// - Returns: the mean loss, and `dL/dprobabilities` for the mean.
    public static func evaluate(_ probabilities: Tensor, labels: [Int]) -> Evaluation {
        let n = probabilities.batch
        let classes = probabilities.sampleSize
        precondition(labels.count == n, "one label per sample")
        var gradient = Tensor(zeros: probabilities.shape)
        var loss = 0.0
        for s in 0..<n {
            if classes == 1 {
                let p = min(max(probabilities.data[s], epsilon), 1 - epsilon)
                let t: Float = labels[s] == 1 ? 1 : 0
                loss -= Double(t * log(p) + (1 - t) * log(1 - p))
                gradient.data[s] = (p - t) / (p * (1 - p)) / Float(n)
            } else {
                let p = min(max(probabilities.data[s * classes + labels[s]], epsilon), 1 - epsilon)
                loss -= Double(log(p))
                gradient.data[s * classes + labels[s]] = -1 / p / Float(n)
            }
        }
        return Evaluation(loss: loss / Double(max(1, n)), gradient: gradient)
    }

    /// What ``evaluate(_:labels:)`` returns.
    public struct Evaluation: Sendable {
        /// The mean loss over the samples.
        public let loss: Double
        /// `dL/dprobabilities`, shaped like the probabilities.
        public let gradient: Tensor
    }
}
