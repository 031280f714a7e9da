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
}

extension Layer {
    public var parameterCount: Int { 0 }
}
