import NeuralNet

/// The FusionAI network (Kim et al., iScience 2021), as published in `newdat_newmod_jj.h5`:
///
///     input [20000, 4, 1] one-hot (head window + tail window)
///     Conv2D(256, (20, 4), relu, valid)   -> [19981, 1, 256]
///     Conv2D(32, (200, 1), relu, valid)   -> [19782, 1, 32]
///     MaxPooling2D((20, 1))               -> [989, 1, 32]
///     Dropout(0.25), Flatten              -> [31648]
///     Dense(32, relu), Dropout(0.4)       -> [32]
///     Dense(2, softmax)                   -> [P(fusion-negative), P(fusion-positive)]
///
/// 2,672,002 parameters. Smaller variants (shorter windows, fewer filters) share the shape.
public enum FusionAIArchitecture {
    public static let parameterCount = 2_672_002
    /// The published sizes, each the default of ``spec(inputLength:firstFilters:secondFilters:denseUnits:)``.
    public static let inputLength = 20_000
    public static let firstFilters = 256
    public static let secondFilters = 32

    public static func spec(
        inputLength: Int = inputLength, firstFilters: Int = firstFilters, secondFilters: Int = secondFilters,
        denseUnits: Int = 32
    ) -> ModelSpec {
        ModelSpec(
            name: "fusionai", inputShape: [inputLength, 4, 1],
            layers: [
                LayerSpec(
                    name: "conv2d_1", kind: .conv2d, units: firstFilters, size: [20, 4], strides: [1, 1],
                    dilation: [1, 1], padding: "valid", activation: "relu"),
                LayerSpec(
                    name: "conv2d_2", kind: .conv2d, units: secondFilters, size: [200, 1], strides: [1, 1],
                    dilation: [1, 1], padding: "valid", activation: "relu"),
                LayerSpec(
                    name: "max_pooling2d_1", kind: .maxPool2d, size: [20, 1], strides: [20, 1], padding: "valid"),
                LayerSpec(name: "dropout_1", kind: .dropout, rate: 0.25),
                LayerSpec(name: "flatten_1", kind: .flatten),
                LayerSpec(name: "dense_1", kind: .dense, units: denseUnits, activation: "relu"),
                LayerSpec(name: "dropout_2", kind: .dropout, rate: 0.4),
                LayerSpec(name: "dense_2", kind: .dense, units: 2, activation: "softmax"),
            ])
    }
}
