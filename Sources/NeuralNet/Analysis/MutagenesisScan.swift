import Support

/// In-silico mutagenesis of one-hot sequence input: one model output for every single-base
/// substitution, computed exactly but without a full forward pass per substitution.
///
/// A substitution at position p changes the first convolution's output only over its receptive
/// field, that change spreads a kernel's width further through each later local layer, and after
/// `Flatten` it enters the first dense layer as a sum over the rows it touched. So each layer
/// recomputes only the rows that changed, from the stored pre-activations of one ordinary forward
/// pass (fastISM and yuzu's idea). For FusionAI (20 + 200 taps) that is 219 rows of the second
/// layer instead of 19,782, done for the three alternatives of a position as one GEMM.
///
/// Each layer owns its update, beside its forward and backward passes
/// (``Layer/mutagenesisStep(at:inputShape:)``); this type only stores the base pass and drives the
/// changed rows through the steps. Models must be sequential: row convolutions, activations, batch
/// normalisation, dropout and width-1 pooling, then `Flatten`, then dense layers (or activations
/// and dropout).
public struct MutagenesisScan: Sendable {
    public let model: Model
    /// Which output the scan reports (FusionAI: 1, P(positive)).
    public let outputIndex: Int
    /// Each layer's step, in the model's order.
    private let steps: [any MutagenesisStep]

    /// How row convolutions update their changed rows.
    public enum ConvolutionUpdate: Sendable, Equatable {
        /// By FFT, for many positions at once, where a layer's kernel is long enough to pay
        /// (``FFTConvolutionStep``); else directly.
        case automatic
        /// Per tap and changed row, one position at a time (``ConvolutionStep``).
        case direct
        /// By FFT wherever stride and dilation are 1 (for tests).
        case fft
    }

    /// Positions whose substitutions go through the steps together. Fixed, so that the values do
    /// not depend on the thread count.
    static let positionsPerBatch = 8

    /// - Throws: ``ModelError`` when the model's structure has no receptive-field shortcut (use ``naive``).
    public init(model: Model, outputIndex: Int, convolutionUpdate: ConvolutionUpdate = .automatic) throws {
        let outputs = model.outputShape.reduce(1, *)
        guard outputIndex >= 0, outputIndex < outputs else {
            throw ModelError(.invalidArgument, "output \(outputIndex) is not one of the model's \(outputs)")
        }
        var shape = model.inputShape
        var stage = MutagenesisStage.rows
        var steps: [any MutagenesisStep] = []
        // The most rows one substitution's change spans at the current layer's input; nil once unknown.
        var span: Int? = 1
        for layer in model.layers {
            var step = try layer.mutagenesisStep(at: stage, inputShape: shape)
            if convolutionUpdate != .direct, let span, let direct = step as? ConvolutionStep,
                let fast = FFTConvolutionStep(direct, span: span, always: convolutionUpdate == .fft)
            {
                step = fast
            }
            span = span.flatMap { Self.span(after: step, of: $0) }
            steps.append(step)
            stage = step.next
            shape = try layer.outputShape(for: shape)
        }
        guard stage != .rows, shape.count == 1 else {
            throw ModelError(.unsupportedModel, "the model has no Flatten before its dense layers")
        }
        self.model = model
        self.outputIndex = outputIndex
        self.steps = steps
    }

    /// The most output rows of `step` that a change of `rows` input rows reaches, where known.
    private static func span(after step: any MutagenesisStep, of rows: Int) -> Int? {
        switch step {
        case let step as ConvolutionStep:
            let g = step.geometry
            return (rows - 1 + (g.taps - 1) * g.dilation) / g.stride + 1
        case let step as FFTConvolutionStep:
            return rows - 1 + step.direct.geometry.taps
        case let step as PoolingStep:
            return (rows - 1 + step.pool - 1) / step.stride + 1
        case is RowWiseStep, is IdentityStep:
            return rows
        default:
            return nil
        }
    }

    /// Whether any layer updates by FFT (``ConvolutionUpdate/automatic`` chose it, or it was asked).
    var usesFFT: Bool { steps.contains { $0 is FFTConvolutionStep } }

    /// The stored forward pass of one sample: every layer's input and what its step records.
    private struct BasePass {
        var inputs: [Tensor]
        var records: [Tensor]
        var output: Float
    }

    private func basePass(_ x: Tensor) -> BasePass {
        var pass = BasePass(inputs: [], records: [], output: 0)
        var a = x
        for (layer, step) in zip(model.layers, steps) {
            pass.inputs.append(a)
            pass.records.append(step.record(input: a))
            a = layer.forward(a)
        }
        pass.output = a.data[outputIndex]
        return pass
    }

    /// The output for every substitution of one sample `x` (`[1] + inputShape`, one-hot rows of 4).
    /// - Parameter positions: the positions to scan (default: all).
    public func scan(_ x: Tensor, positions: [Int]? = nil, threads: Int = 1) -> MutagenesisResult {
        let base = basePass(x)
        let chosen = positions ?? Array(0..<model.inputShape[0])
        let size = Self.positionsPerBatch
        let results = parallelMap(count: (chosen.count + size - 1) / size, threads: threads) { b in
            substitute(at: chosen[(b * size)..<min(chosen.count, (b + 1) * size)], x: x, base: base)
        }
        return MutagenesisResult(reference: base.output, values: results.flatMap { $0 })
    }

    /// Outputs with each base at each of `positions` (4 per position): the changed input row, one
    /// per alternative base, of every position through every layer's step together.
    private func substitute(at positions: ArraySlice<Int>, x: Tensor, base: BasePass) -> [Float] {
        var out = [Float](repeating: base.output, count: positions.count * 4)
        // The positions still changing (index into `positions`, alternative bases) and their changes.
        var live: [(index: Int, alternatives: [Int])] = []
        var changes: [RowChange] = []
        for (i, p) in positions.enumerated() {
            let present = (0..<4).first { x.data[p * 4 + $0] == 1 }
            let alternatives = (0..<4).filter { $0 != present }
            guard !alternatives.isEmpty else { continue }
            live.append((i, alternatives))
            changes.append(
                RowChange(rows: p..<(p + 1), values: alternatives.map { c in (0..<4).map { $0 == c ? 1 : 0 } }))
        }
        for (i, step) in steps.enumerated() where !changes.isEmpty {
            let next = step.update(batch: changes, input: base.inputs[i], record: base.records[i])
            var (keptLive, keptChanges): ([(index: Int, alternatives: [Int])], [RowChange]) = ([], [])
            for (j, change) in next.enumerated() {
                guard let change else { continue }
                keptLive.append(live[j])
                keptChanges.append(change)
            }
            (live, changes) = (keptLive, keptChanges)
        }
        for (j, change) in changes.enumerated() where change.rows.contains(outputIndex) {
            for (a, c) in live[j].alternatives.enumerated() {
                out[live[j].index * 4 + c] = change.values[a][outputIndex - change.rows.lowerBound]
            }
        }
        return out
    }

    /// The same values by brute force: a full forward pass per substitution (for checks).
    public static func naive(model: Model, _ x: Tensor, outputIndex: Int, positions: [Int], threads: Int = 1) -> [Float]
    {
        let outputs = model.outputShape.reduce(1, *)
        var values = [Float](repeating: model.forward(x).data[outputIndex], count: positions.count * 4)
        // A batch of mutated copies is a whole input each (320 kB for FusionAI): positions go 16 at a
        // time, so memory stays flat however many are asked for.
        for first in stride(from: 0, to: positions.count, by: 16) {
            var samples: [Float] = []
            var slots: [Int] = []  // index into `values` of each mutated copy
            for i in first..<min(positions.count, first + 16) {
                let p = positions[i]
                for c in 0..<4 where x.data[p * 4 + c] != 1 {
                    var mutated = x.data
                    for k in 0..<4 { mutated[p * 4 + k] = k == c ? 1 : 0 }
                    samples += mutated
                    slots.append(i * 4 + c)
                }
            }
            guard !slots.isEmpty else { continue }
            let y = model.predict(Tensor(shape: [slots.count] + model.inputShape, data: samples), threads: threads)
            for (j, slot) in slots.enumerated() { values[slot] = y.data[j * outputs + outputIndex] }
        }
        return values
    }
}

/// What ``MutagenesisScan/scan(_:positions:threads:)`` returns.
public struct MutagenesisResult: Sendable, Equatable {
    /// The output for the unmutated sample.
    public let reference: Float
    /// `[positions x 4]`: the output with that base at that position (the present base's entry is
    /// ``reference``).
    public let values: [Float]
}
