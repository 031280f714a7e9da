/// Keras `Flatten`: `[batch, d1, ..., dn]` -> `[batch, d1 * ... * dn]`. Channels-last row-major
/// storage is already Keras's flattening order, so no value moves.
public struct Flatten: Layer {
    public let name: String

    public init(name: String) { self.name = name }

    public func outputShape(for input: [Int]) throws -> [Int] { [input.reduce(1, *)] }

    public func forward(_ x: Tensor) -> Tensor { x.reshaped([x.batch, x.sampleSize]) }

    public func backward(input x: Tensor, output y: Tensor, outputGradient dy: Tensor, parameterGradients: Bool)
        -> LayerGradients
    {
        LayerGradients(input: dy.reshaped(x.shape))
    }
}
