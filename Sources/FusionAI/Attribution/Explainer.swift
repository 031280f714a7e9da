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
    /// DeepLiftShap: dinucleotide shuffles per sequence (seeds `seed`, `seed + 1`, ...).
    public var references = 10
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
        case .deeplift, .deepliftshap:
            let attribution = deepLift(head: head, tail: tail, method: method)
            return (attribution.scores, attribution.probability)
        }
    }

    /// DeepLIFT (`deeplift`: one reference, zero or shuffled as ``shuffledBaseline`` says) or
    /// DeepLiftShap (`deepliftshap`: ``references`` shuffles, all in one batched pass) of P(positive)
    /// for one pair: P itself goes through the rescale rule (softmax included), as shap's
    /// DeepExplainer explains a softmax model, so the scores sum to P(x) - P(reference).
    /// - Precondition: `method` is `.deeplift` or `.deepliftshap`.
    public func deepLift(head: [UInt8], tail: [UInt8], method: AttributionMethod) -> DeepLiftAttribution {
        precondition(method == .deeplift || method == .deepliftshap, "\(method) is not a DeepLIFT method")
        let x = scorer.encode([(head, tail)])
        let per = x.count
        let references: [[Float]] =
            if method == .deepliftshap {
                (0..<max(1, references)).map {
                    DinucleotideShuffle.shuffled(x.data, positions: positions, seed: seed &+ UInt64($0))
                }
            } else if shuffledBaseline {
                [DinucleotideShuffle.shuffled(x.data, positions: positions, seed: seed)]
            } else {
                [[Float](repeating: 0, count: per)]
            }
        let n = references.count
        let shape = [n] + scorer.model.inputShape
        let outputs = scorer.model.outputShape.reduce(1, *)
        let index = positiveIndex
        let result = scorer.model.deepLift(
            Tensor(shape: shape, data: Array([[Float]](repeating: x.data, count: n).joined())),
            reference: Tensor(shape: shape, data: Array(references.joined()))
        ) { y in
            var seed = Tensor(zeros: y.shape)
            for b in 0..<y.batch { seed.data[b * outputs + index] = 1 }
            return seed
        }
        // hyp[t, b] = mean over references of m[t, :] . (e_b - r[t, :]); the score is m . (x - r).
        var hypothetical = [Float](repeating: 0, count: per)
        var scores = [Float](repeating: 0, count: positions)
        var difference = 0.0
        for (k, r) in references.enumerated() {
            let m = result.input.data[(k * per)..<((k + 1) * per)]
            for t in 0..<positions {
                var atReference: Float = 0
                var score: Float = 0
                for c in 0..<4 {
                    let mc = m[k * per + t * 4 + c]
                    atReference += mc * r[t * 4 + c]
                    score += mc * (x.data[t * 4 + c] - r[t * 4 + c])
                }
                for c in 0..<4 { hypothetical[t * 4 + c] += (m[k * per + t * 4 + c] - atReference) / Float(n) }
                scores[t] += score / Float(n)
            }
            difference += Double(
                result.output.data[k * outputs + index] - result.referenceOutput.data[k * outputs + index])
        }
        return DeepLiftAttribution(
            scores: scores, hypothetical: hypothetical, probability: result.output.data[index],
            attributionSum: scores.reduce(0.0) { $0 + Double($1) }, referenceDifference: difference / Double(n))
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

/// What ``Explainer/deepLift(head:tail:method:)`` gives for one pair.
public struct DeepLiftAttribution: Sendable {
    /// Per position, the contribution of the base that is there (mean over references).
    public let scores: [Float]
    /// `[positions x 4]`: each base's contribution had it been there, the input of motif discovery
    /// (tfmodisco's hypothetical contributions); at the present base it is the score.
    public let hypothetical: [Float]
    /// P(positive) at the input.
    public let probability: Float
    /// The sum of the scores over all positions.
    public let attributionSum: Double
    /// P(positive) at the input minus at the reference, mean over references: completeness means
    /// it equals ``attributionSum``.
    public let referenceDifference: Double
}
