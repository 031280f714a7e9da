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

    /// Ends the row-wise part: changed rows of `w` values become a run of the flat vector.
    public func mutagenesisStep(at stage: MutagenesisStage, inputShape: [Int]) throws -> any MutagenesisStep {
        guard stage == .rows else { throw noShortcut() }
        return FlattenStep()
    }
}

/// Rows `[lo, hi)` of `w` values each are values `[lo * w, hi * w)` of the flat vector, unchanged.
struct FlattenStep: MutagenesisStep {
    var next: MutagenesisStage { .flattened }

    func update(_ change: RowChange, input: Tensor, record: Tensor) -> RowChange? {
        let w = input.sampleSize / input.sampleShape[0]
        return RowChange(rows: (change.rows.lowerBound * w)..<(change.rows.upperBound * w), values: change.values)
    }
}
