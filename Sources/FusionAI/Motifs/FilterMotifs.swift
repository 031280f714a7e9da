import Foundation
import NeuralNet

/// Position weight matrices of a model's first-layer filters, built the standard way (DeepBind,
/// Basset): over a set of sequences, every window where a filter's activation exceeds `threshold`
/// times its largest activation is aligned, and the base frequencies of the aligned windows form
/// the filter's motif.
public struct FilterMotifs {
    /// One filter's motif.
    public struct Motif: Sendable {
        public let name: String
        /// `[width x 4]` base probabilities (A, C, G, T), each row summing to 1 (uniform where no site).
        public let probabilities: [[Double]]
        /// Aligned windows counted.
        public let sites: Int
        /// The filter's largest activation over the sequences.
        public let maxActivation: Float

        /// Information content of each position, bits: `2 + sum p log2 p`.
        public var informationContent: [Double] {
            probabilities.map { row in 2 + row.reduce(0) { $0 + ($1 > 0 ? $1 * log2($1) : 0) } }
        }

        /// The most probable base at each position (N where no base reaches 0.5 and IC is low).
        public var consensus: String {
            String(
                zip(probabilities, informationContent).map { row, ic in
                    let best = row.indices.max { row[$0] < row[$1] } ?? 0
                    return ic < 0.3 ? "N" : Array("ACGT")[best]
                })
        }
    }

    /// The first layer must be a convolution over one-hot rows (4 values per position).
    public let layer: Convolution

    /// - Throws: ``ModelError`` when the first layer is not a convolution over one-hot DNA.
    public init(model: Model) throws {
        guard let conv = model.layers.first as? Convolution, let g = conv.rowGeometry, g.width == 4, g.stride == 1,
            g.dilation == 1
        else {
            throw ModelError(
                .unsupportedModel, "the model's first layer is not a stride-1 convolution over one-hot DNA")
        }
        layer = conv
    }

    public var width: Int { layer.kernel.shape[0] }

    /// Motifs from the activations over sequences given in chunks (each `[n] + inputShape`, one-hot):
    /// a first pass finds each filter's largest activation, a second collects the windows above
    /// `threshold` times it. Chunks keep the activations small (20 MB a FusionAI sequence).
    /// - Parameter threshold: fraction of each filter's maximum an activation must exceed (0.5 is usual).
    public func motifs(_ chunks: [Tensor], threshold: Float = 0.5) -> [Motif] {
        let filters = layer.filters
        let k = width
        var maxima = [Float](repeating: 0, count: filters)
        for x in chunks {
            for (i, v) in layer.forward(x).data.enumerated() { maxima[i % filters] = max(maxima[i % filters], v) }
        }
        var counts = [[Double]](repeating: [Double](repeating: 0, count: k * 4), count: filters)
        var sites = [Int](repeating: 0, count: filters)
        for x in chunks {
            let activations = layer.forward(x)
            let positions = activations.sampleSize / filters
            let length = x.sampleSize / 4
            for s in 0..<x.batch {
                for t in 0..<positions {
                    for f in 0..<filters {
                        let v = activations.data[(s * positions + t) * filters + f]
                        guard maxima[f] > 0, v > threshold * maxima[f] else { continue }
                        sites[f] += 1
                        for j in 0..<k where t + j < length {
                            for c in 0..<4 { counts[f][j * 4 + c] += Double(x.data[(s * length + t + j) * 4 + c]) }
                        }
                    }
                }
            }
        }
        return (0..<filters).map { f in
            let rows = (0..<k).map { j -> [Double] in
                let row = Array(counts[f][(j * 4)..<(j * 4 + 4)])
                let total = row.reduce(0, +)
                return total > 0 ? row.map { $0 / total } : [0.25, 0.25, 0.25, 0.25]
            }
            return Motif(name: "filter\(f + 1)", probabilities: rows, sites: sites[f], maxActivation: maxima[f])
        }
    }

    /// Motifs from the weights alone, when no sequences are given: each position's four weights
    /// through a softmax (a common approximation; activation-based motifs are more faithful).
    public func weightMotifs() -> [Motif] {
        let filters = layer.filters
        let k = width
        return (0..<filters).map { f in
            let rows = (0..<k).map { j -> [Double] in
                let w = (0..<4).map { Double(layer.kernel.data[(j * 4 + $0) * filters + f]) }
                let m = w.max() ?? 0
                let e = w.map { exp($0 - m) }
                let total = e.reduce(0, +)
                return e.map { $0 / total }
            }
            return Motif(name: "filter\(f + 1)", probabilities: rows, sites: 0, maxActivation: 0)
        }
    }
}
