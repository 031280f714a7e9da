/// Where in the network a layer meets a substitution's change, in ``MutagenesisScan``.
public enum MutagenesisStage: Sendable, Equatable {
    /// Before `Flatten`: the change is a run of rows (positions along the sequence), which local
    /// layers pass on to the rows their windows touch.
    case rows
    /// After `Flatten`, before the first dense layer: the change is a run of the flat vector.
    case flattened
    /// After the first dense layer: every value may have changed; layers run on whole vectors.
    case vectors
}

/// The rows of one layer's sample that a substitution changed, for every alternative base. Rows
/// run along the sample's first dimension (a vector's rows are its values).
public struct RowChange: Sendable {
    /// The changed rows.
    public var rows: Range<Int>
    /// One array per alternative base: the new values of those rows, `rows.count` rows of values.
    public var values: [[Float]]

    public init(rows: Range<Int>, values: [[Float]]) {
        self.rows = rows
        self.values = values
    }
}

/// A layer's part in ``MutagenesisScan``, made once per scan by
/// ``Layer/mutagenesisStep(at:inputShape:)``: what it keeps from one ordinary forward pass, and how
/// it turns changed input rows into changed output rows from that.
public protocol MutagenesisStep: Sendable {
    /// The stage the next layer meets.
    var next: MutagenesisStage { get }
    /// What the scan keeps from the base pass for this layer, given its input `x` (a batch of 1):
    /// by default `x` itself; layers that update a pre-activation keep that.
    func record(input x: Tensor) -> Tensor
    /// The output rows that `change` (of this layer's input rows) changes, with their new values,
    /// from the base pass's `input` and ``record(input:)``; nil when no output row changes.
    func update(_ change: RowChange, input: Tensor, record: Tensor) -> RowChange?
    /// ``update(_:input:record:)`` for each of `changes` (those of several positions): steps whose
    /// arithmetic batches across changes (``FFTConvolutionStep``) override it.
    func update(batch changes: [RowChange], input: Tensor, record: Tensor) -> [RowChange?]
}

extension MutagenesisStep {
    public func record(input x: Tensor) -> Tensor { x }

    public func update(batch changes: [RowChange], input: Tensor, record: Tensor) -> [RowChange?] {
        changes.map { update($0, input: input, record: record) }
    }
}

/// The step of a layer that computes each output row from the same input row alone (activations,
/// batch normalisation): the layer's own forward pass on the changed rows.
struct RowWiseStep: MutagenesisStep {
    let layer: any Layer
    let next: MutagenesisStage

    func update(_ change: RowChange, input: Tensor, record: Tensor) -> RowChange? {
        let shape = [1, change.rows.count] + input.sampleShape.dropFirst()
        let values = change.values.map { layer.forward(Tensor(shape: shape, data: $0)).data }
        return RowChange(rows: change.rows, values: values)
    }
}

/// The step of a layer after the first dense one, where every value may have changed: the layer's
/// own forward pass on each whole vector.
struct VectorStep: MutagenesisStep {
    let layer: any Layer
    var next: MutagenesisStage { .vectors }

    func update(_ change: RowChange, input: Tensor, record: Tensor) -> RowChange? {
        let values = change.values.map { layer.forward(Tensor(shape: [1] + input.sampleShape, data: $0)).data }
        return RowChange(rows: 0..<(values.first?.count ?? 0), values: values)
    }
}

/// The step of a layer that is the identity at inference (dropout): the change passes unchanged.
struct IdentityStep: MutagenesisStep {
    let next: MutagenesisStage

    func update(_ change: RowChange, input: Tensor, record: Tensor) -> RowChange? { change }
}

/// `ceil(a / b)` for positive `b` and any `a`.
func ceilDiv(_ a: Int, _ b: Int) -> Int {
    a >= 0 ? (a + b - 1) / b : -((-a) / b)
}
