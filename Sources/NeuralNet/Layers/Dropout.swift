/// Keras `Dropout`: the identity at inference (Keras scales during training instead, "inverted dropout").
public struct Dropout: Layer {
    public let name: String
    public let rate: Float

    public init(name: String, rate: Float) {
        self.name = name
        self.rate = rate
    }

    public func outputShape(for input: [Int]) throws -> [Int] { input }

    public func forward(_ x: Tensor) -> Tensor { x }

    public func backward(input x: Tensor, output y: Tensor, outputGradient dy: Tensor, parameterGradients: Bool) -> LayerGradients {
        LayerGradients(input: dy)
    }
}
