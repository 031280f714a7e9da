/// One layer of a network. Shapes exclude the batch dimension.
///
/// Each layer file holds the layer's maths side by side, with the shapes it works on spelled out:
/// its forward pass, its backward pass, its DeepLIFT rule (``deepLiftBackward(_:outputMultiplier:)``)
/// and its step in fast in-silico mutagenesis (``mutagenesisStep(at:inputShape:)``).
public protocol Layer: Sendable {
    /// The layer's name, as in the model file.
    var name: String { get }
    /// The per-sample output shape for a per-sample input shape.
    /// - Throws: ``ModelError`` when the input shape does not fit the layer.
    func outputShape(for input: [Int]) throws -> [Int]
    /// The output at inference for a batch `x` of shape `[batch] + input`.
    func forward(_ x: Tensor) -> Tensor
    /// The output in `mode`. Layers that train as they infer keep the default, ``forward(_:)``.
    func forward(_ x: Tensor, mode: PassMode) -> Tensor
    /// Number of trainable and non-trainable values.
    var parameterCount: Int { get }
    /// The gradients for a batch at inference, from the input `x`, the output `y` this layer
    /// computed from it, and `dy = dL/dy`: `dL/dx`, and with `parameterGradients` `dL/dw` for each
    /// weight (keyed as the weights are: `kernel`, `bias`, `gamma`, ...).
    func backward(input x: Tensor, output y: Tensor, outputGradient dy: Tensor, parameterGradients: Bool)
        -> LayerGradients
    /// The gradients for a forward pass made in `mode`; the default is the inference backward pass.
    func backward(
        input x: Tensor, output y: Tensor, outputGradient dy: Tensor, parameterGradients: Bool, mode: PassMode
    ) -> LayerGradients
    /// DeepLIFT's rescale rule: the multipliers `m_x = dC/dΔx` of the layer's input from those of its
    /// output, `m_y`, for a batch run at the input and at the reference (`pass`), so that
    /// `Σ m_x Δx = Σ m_y Δy`. The default passes `m_y` back like a gradient, which is exact for
    /// layers linear in their input (flatten, dropout at inference, batch normalization, average
    /// pooling); nonlinear layers override it.
    func deepLiftBackward(_ pass: DeepLiftPass, outputMultiplier m: Tensor) -> Tensor
    /// How the layer carries a single-position change of one-hot input through ``MutagenesisScan``,
    /// met at `stage` with per-sample input shape `inputShape`.
    /// - Throws: ``ModelError`` (`unsupportedModel`) when the layer has no receptive-field shortcut
    ///   there, the default.
    func mutagenesisStep(at stage: MutagenesisStage, inputShape: [Int]) throws -> any MutagenesisStep
}

/// Whether a pass infers or trains. Training carries one seed per sample for whatever a layer
/// draws at random (dropout's mask), so the draws do not depend on how a batch is split.
public enum PassMode: Sendable, Equatable {
    case inference
    case training(seeds: [UInt64])

    /// The mode handed to the layer at `index`: its own seeds, so that layers draw differently.
    func layer(_ index: Int) -> PassMode {
        guard case .training(let seeds) = self else { return self }
        return .training(seeds: seeds.map { $0 &+ UInt64(index) &* 0x9E37_79B9 })
    }
}

/// One layer's forward pass made twice for DeepLIFT, sample by sample at the input and at its
/// reference: `Δx = input - referenceInput`, `Δy = output - referenceOutput`.
public struct DeepLiftPass: Sendable {
    public let input: Tensor
    public let output: Tensor
    public let referenceInput: Tensor
    public let referenceOutput: Tensor

    public init(input: Tensor, output: Tensor, referenceInput: Tensor, referenceOutput: Tensor) {
        self.input = input
        self.output = output
        self.referenceInput = referenceInput
        self.referenceOutput = referenceOutput
    }

    /// Below this |Δ| DeepLIFT's multipliers fall back to the gradient at the input (as the DeepLIFT
    /// paper, captum and shap do): the ratio Δy/Δx is rounding noise there.
    public static let minimumDifference: Float = 1e-6
}

/// What ``Layer/backward(input:output:outputGradient:parameterGradients:)`` returns.
public struct LayerGradients: Sendable {
    /// `dL/dx`, shaped like the input.
    public var input: Tensor
    /// `dL/dw` by weight name; empty unless asked for (or for layers without weights).
    public var parameters: [String: Tensor]

    public init(input: Tensor, parameters: [String: Tensor] = [:]) {
        self.input = input
        self.parameters = parameters
    }
}

extension Layer {
    public var parameterCount: Int { 0 }

    public func forward(_ x: Tensor, mode: PassMode) -> Tensor {
        forward(x)
    }

    public func backward(
        input x: Tensor, output y: Tensor, outputGradient dy: Tensor, parameterGradients: Bool, mode: PassMode
    ) -> LayerGradients {
        backward(input: x, output: y, outputGradient: dy, parameterGradients: parameterGradients)
    }

    public func deepLiftBackward(_ pass: DeepLiftPass, outputMultiplier m: Tensor) -> Tensor {
        backward(input: pass.input, output: pass.output, outputGradient: m, parameterGradients: false).input
    }

    public func mutagenesisStep(at stage: MutagenesisStage, inputShape: [Int]) throws -> any MutagenesisStep {
        throw noShortcut()
    }

    /// The error of a layer that cannot take part in a ``MutagenesisScan`` where it stands.
    func noShortcut() -> ModelError {
        ModelError(.unsupportedModel, "layer \(name) has no receptive-field shortcut")
    }
}
