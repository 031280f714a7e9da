import NeuralNet

/// The k-mer spectrum linear classifier: `softmax(W · spectrum + b)` over the 2 x 4^k k-mer
/// frequencies of the head and tail windows. Trained, saved, scored and evaluated like the network.
public enum KmerBaseline {
    public static func spec(k: Int = 4) -> ModelSpec {
        let features = KmerFeatures(k: k)
        return ModelSpec(
            name: "kmer\(k)", inputShape: [features.count],
            layers: [LayerSpec(name: "linear", kind: .dense, units: 2, activation: "softmax")],
            encoding: features.encodingName)
    }
}
