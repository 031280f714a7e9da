/// A network's architecture without its weights: what Keras's `model_config` says, in our terms,
/// and what the native format stores as JSON.
public struct ModelSpec: Codable, Sendable, Equatable {
    public var name: String
    /// Per-sample input shape, channels last (FusionAI: `[20000, 4, 1]`).
    public var inputShape: [Int]
    public var layers: [LayerSpec]
    /// How sequences become the input, when not one-hot DNA (`kmer:4` for the k-mer baseline).
    public var encoding: String?

    public init(name: String, inputShape: [Int], layers: [LayerSpec], encoding: String? = nil) {
        self.name = name
        self.inputShape = inputShape
        self.layers = layers
        self.encoding = encoding
    }
}

/// One layer's configuration. Only the fields its ``Kind`` uses are set.
public struct LayerSpec: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case conv1d, conv2d, dense
        case maxPool1d, maxPool2d, averagePool1d, averagePool2d
        case globalMaxPool, globalAveragePool
        case flatten, dropout, activation, batchNormalization
    }

    public var name: String
    public var kind: Kind
    /// Conv: filters; Dense: units.
    public var units: Int?
    /// Conv kernel or pool size, per spatial dimension (1 value for 1-D layers, 2 for 2-D).
    public var size: [Int]?
    public var strides: [Int]?
    public var dilation: [Int]?
    public var padding: String?
    public var activation: String?
    public var useBias: Bool?
    /// Dropout rate.
    public var rate: Float?
    /// BatchNormalization epsilon.
    public var epsilon: Float?

    public init(
        name: String, kind: Kind, units: Int? = nil, size: [Int]? = nil, strides: [Int]? = nil,
        dilation: [Int]? = nil, padding: String? = nil, activation: String? = nil, useBias: Bool? = nil,
        rate: Float? = nil, epsilon: Float? = nil
    ) {
        self.name = name
        self.kind = kind
        self.units = units
        self.size = size
        self.strides = strides
        self.dilation = dilation
        self.padding = padding
        self.activation = activation
        self.useBias = useBias
        self.rate = rate
        self.epsilon = epsilon
    }

    /// The names of this layer's weight arrays, in Keras's order.
    public var weightNames: [String] {
        switch kind {
        case .conv1d, .conv2d, .dense: (useBias ?? true) ? ["kernel", "bias"] : ["kernel"]
        case .batchNormalization: ["gamma", "beta", "moving_mean", "moving_variance"]
        default: []
        }
    }
}
