import Genome

/// The k-mer spectrum of a breakpoint pair, the baseline the FusionAI paper compared its network
/// with (an SVM on k-mer counts: 79% / 72% train / test accuracy): for each window, the frequency
/// of each of the 4^k k-mers (k-mers with N left out), head window then tail window.
public struct KmerFeatures: Sendable, Equatable {
    public let k: Int

    public init(k: Int) {
        precondition(k >= 1 && k <= 8, "k from 1 to 8")
        self.k = k
    }

    /// The encoding name kept in a model's specification (`kmer:4`).
    public var encodingName: String { "kmer:\(k)" }

    /// Reads `kmer:K`.
    public init?(encoding: String) {
        guard encoding.hasPrefix("kmer:"), let k = Int(encoding.dropFirst(5)), k >= 1, k <= 8 else { return nil }
        self.init(k: k)
    }

    /// Features per pair: `2 * 4^k`.
    public var count: Int { 2 << (2 * k) }

    /// Writes the features of one pair at `target` (`count` values).
    public func encode(head: [UInt8], tail: [UInt8], into target: UnsafeMutablePointer<Float>) {
        let size = 1 << (2 * k)
        for (w, window) in [head, tail].enumerated() {
            let out = target + w * size
            var code = 0
            var valid = 0
            var total = 0
            let mask = size - 1
            for b in window {
                let c = Int(OneHot.channel[Int(b)])
                if c < 0 {
                    valid = 0
                    continue
                }
                code = ((code << 2) | c) & mask
                valid += 1
                if valid >= k {
                    out[code] += 1
                    total += 1
                }
            }
            if total > 0 { for i in 0..<size { out[i] /= Float(total) } }
        }
    }
}
