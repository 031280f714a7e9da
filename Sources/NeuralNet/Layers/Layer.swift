/// One layer of a network. Shapes exclude the batch dimension.
///
/// Each layer file holds the layer's forward pass (and, as training arrives, its backward pass
/// beside it) with the shapes it works on spelled out.
public protocol Layer: Sendable {
    /// The layer's name, as in the model file.
    var name: String { get }
    /// The per-sample output shape for a per-sample input shape.
    /// - Throws: ``ModelError`` when the input shape does not fit the layer.
    func outputShape(for input: [Int]) throws -> [Int]
    /// The output for a batch `x` of shape `[batch] + input`.
    func forward(_ x: Tensor) -> Tensor
    /// Number of trainable and non-trainable values.
    var parameterCount: Int { get }
    /// The gradients for a batch, from the input `x`, the output `y` this layer computed from it,
    /// and `dy = dL/dy`: `dL/dx`, and with `parameterGradients` `dL/dw` for each weight (keyed as
    /// the weights are: `kernel`, `bias`, `gamma`, ...). Dropout is the identity (inference).
    func backward(input x: Tensor, output y: Tensor, outputGradient dy: Tensor, parameterGradients: Bool)
        -> LayerGradients
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
}
