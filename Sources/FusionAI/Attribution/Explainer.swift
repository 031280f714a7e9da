import Genome
import NeuralNet

/// Feature-importance scores for breakpoint pairs: one score per position of the model's input
/// (head window then tail window), for P(fusion-positive).
public struct Explainer: Sendable {
    public let scorer: FusionScorer
    /// Integrated gradients: path steps, and whether the baseline is a dinucleotide-shuffled copy
    /// of the input (seeded) instead of all zeros.
    public var steps = 20
    public var shuffledBaseline = false
    public var seed: UInt64 = 1
    /// Occlusion: window and stride in nt.
    public var occlusionWindow = 50
    public var occlusionStride = 25
    public var threads = 1

    /// - Precondition: the scorer's model reads positions (not the k-mer baseline).
    public init(scorer: FusionScorer) {
        precondition(scorer.readsPositions, "attribution needs a model that reads positions")
        self.scorer = scorer
    }

    /// In-silico mutagenesis of one pair: the mean and max |ΔP(positive)| per position and the
    /// `[positions x 4]` matrix of ΔP (zero at the present base).
    /// - Throws: ``ModelError`` when the model has no receptive-field shortcut.
    public func mutagenesis(head: [UInt8], tail: [UInt8]) throws -> (
        mean: [Float], max: [Float], matrix: [Float], probability: Float
    ) {
        let x = scorer.encode([(head, tail)])
        let scan = try MutagenesisScan(model: scorer.model, outputIndex: positiveIndex)
        let scanned = scan.scan(x, threads: threads)
        let reference = scanned.reference
        let delta = scanned.values.map { $0 - reference }
        var mean = [Float](repeating: 0, count: positions)
        var maximum = mean
        for t in 0..<positions {
            let alternatives = (0..<4).filter { x.data[t * 4 + $0] != 1 }
            let changes = alternatives.map { abs(delta[t * 4 + $0]) }
            mean[t] = changes.isEmpty ? 0 : changes.reduce(0, +) / Float(changes.count)
            maximum[t] = changes.max() ?? 0
        }
        return (mean, maximum, delta, reference)
    }

    /// The largest |fast - brute force| ΔP over `samples` evenly spaced positions of a matrix from
    /// ``mutagenesis(head:tail:)``.
    public func verifyMutagenesis(head: [UInt8], tail: [UInt8], matrix: [Float], samples: Int) -> Float {
        let x = scorer.encode([(head, tail)])
        let step = max(1, positions / max(1, samples))
        let chosen = Array(stride(from: 0, to: positions, by: step).prefix(samples))
        let reference = scorer.model.forward(x).data[positiveIndex]
        let naive = MutagenesisScan.naive(
            model: scorer.model, x, outputIndex: positiveIndex, positions: chosen, threads: threads)
        var worst: Float = 0
        for (i, p) in chosen.enumerated() {
            for c in 0..<4 { worst = max(worst, abs((naive[i * 4 + c] - reference) - matrix[p * 4 + c])) }
        }
        return worst
    }

    /// The scores of one pair of 10-kb windows: `2 * scorer.windowLength` values.
    /// ISM here is the mean |ΔP|; see ``mutagenesis(head:tail:)`` for the rest.
    public func explain(head: [UInt8], tail: [UInt8], method: AttributionMethod) throws -> [Float] {
        try scoresAndProbability(head: head, tail: tail, method: method).scores
    }

    /// The scores and P(positive), from the same forward pass where the method makes one.
    public func scoresAndProbability(head: [UInt8], tail: [UInt8], method: AttributionMethod) throws -> (
        scores: [Float], probability: Float
    ) {
        let x = scorer.encode([(head, tail)])
        switch method {
        case .ism:
            let ism = try mutagenesis(head: head, tail: tail)
            return (ism.mean, ism.probability)
        case .saliency:
            let (g, p) = gradient(x)
            return ((0..<positions).map { t in (0..<4).map { abs(g.data[t * 4 + $0]) }.max() ?? 0 }, p[0])
        case .gradInput:
            let (g, p) = gradient(x)
            return (
                (0..<positions).map { t in (0..<4).reduce(0) { $0 + g.data[t * 4 + $1] * x.data[t * 4 + $1] } }, p[0]
            )
        case .integratedGradients:
            return (integratedGradients(x), scorer.probabilities(x, threads: threads)[0])
        case .occlusion:
            return (occlusion(x), scorer.probabilities(x, threads: threads)[0])
        }
    }

    private var positions: Int { scorer.windowLength * 2 }

    /// The index of P(positive) among the model's outputs.
    private var positiveIndex: Int { scorer.model.outputShape == [2] ? 1 : 0 }

    /// dP(positive)/dx for each sample of `x`, and P(positive) itself.
    private func gradient(_ x: Tensor) -> (gradient: Tensor, probability: [Float]) {
        let outputs = scorer.model.outputShape.reduce(1, *)
        let index = positiveIndex
        let result = scorer.model.gradients(x) { y in
            var seed = Tensor(zeros: y.shape)
            for b in 0..<y.batch { seed.data[b * outputs + index] = 1 }
            return seed
        }
        return (result.input, (0..<x.batch).map { result.output.data[$0 * outputs + index] })
    }

    private func integratedGradients(_ x: Tensor) -> [Float] {
        let per = x.count
        let baseline =
            shuffledBaseline
            ? DinucleotideShuffle.shuffled(x.data, positions: positions, seed: seed) : [Float](repeating: 0, count: per)
        var total = [Float](repeating: 0, count: per)
        // Riemann midpoints, a few at a time so activations stay small.
        let alphas = (0..<steps).map { (Float($0) + 0.5) / Float(steps) }
        var start = 0
        while start < alphas.count {
            let chunk = Array(alphas[start..<min(alphas.count, start + 4)])
            var data = [Float]()
            data.reserveCapacity(chunk.count * per)
            for a in chunk { for i in 0..<per { data.append(baseline[i] + a * (x.data[i] - baseline[i])) } }
            let g = gradient(Tensor(shape: [chunk.count] + scorer.model.inputShape, data: data)).gradient
            for s in 0..<chunk.count { for i in 0..<per { total[i] += g.data[s * per + i] } }
            start += chunk.count
        }
        return (0..<positions).map { t in
            (0..<4).reduce(0) { $0 + (x.data[t * 4 + $1] - baseline[t * 4 + $1]) * total[t * 4 + $1] / Float(steps) }
        }
    }

    private func occlusion(_ x: Tensor) -> [Float] {
        let window = max(1, occlusionWindow)
        let stride = max(1, occlusionStride)
        let base = scorer.probabilities(x, threads: threads)[0]
        var starts = Array(Swift.stride(from: 0, to: positions - window + 1, by: stride))
        if let last = starts.last, last + window < positions { starts.append(positions - window) }
        var sum = [Float](repeating: 0, count: positions)
        var count = [Float](repeating: 0, count: positions)
        var first = 0
        while first < starts.count {
            let chunk = Array(starts[first..<min(starts.count, first + 16)])
            var data = [Float]()
            data.reserveCapacity(chunk.count * x.count)
            for s in chunk {
                var occluded = x.data
                for i in (s * 4)..<((s + window) * 4) { occluded[i] = 0 }
                data += occluded
            }
            let p = scorer.probabilities(
                Tensor(shape: [chunk.count] + scorer.model.inputShape, data: data), threads: threads)
            for (k, s) in chunk.enumerated() {
                for t in s..<(s + window) {
                    sum[t] += base - p[k]
                    count[t] += 1
                }
            }
            first += chunk.count
        }
        return zip(sum, count).map { $1 > 0 ? $0 / $1 : 0 }
    }
}
