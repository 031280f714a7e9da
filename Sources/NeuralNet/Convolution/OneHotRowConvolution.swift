/// A convolution over one-hot DNA (input width 4, each row all zero or a single 1): every product
/// `x[t + k, c] * kernel[k, c, :]` is either nothing or the row `kernel[k, base, :]`, so the output
/// is a sum of table rows per position: a gather, with no multiplications.
///
/// Taps are taken in pairs: for taps `2j, 2j + 1` a table holds `kernel[2j, a, :] + kernel[2j+1, b, :]`
/// for all 25 pairs of (A, C, G, T, N), N contributing zeros. FusionAI's 20 taps become 10 row
/// additions per position instead of 20.
///
/// Rows that are not one-hot (soft encodings, say) must use another engine; ``isOneHot(_:rows:)``
/// tells.
struct OneHotRowConvolution: RowConvolutionEngine {
    let shape: RowConvolutionShape
    /// `[pairs, 25, outputs]`: summed rows for each pair of taps and pair of bases (code 4 = N).
    private let pairTable: [Float]
    private let pairs: Int

    init(shape: RowConvolutionShape, kernel: [Float]) {
        precondition(shape.inputWidth == 4, "one-hot convolution needs 4 input channels")
        self.shape = shape
        let n = shape.outputs
        pairs = (shape.taps + 1) / 2
        var table = [Float](repeating: 0, count: pairs * 25 * n)
        for p in 0..<pairs {
            for a in 0..<5 {
                for b in 0..<5 {
                    let target = (p * 25 + a * 5 + b) * n
                    for (tap, base) in [(2 * p, a), (2 * p + 1, b)] where tap < shape.taps && base < 4 {
                        for o in 0..<n { table[target + o] += kernel[(tap * 4 + base) * n + o] }
                    }
                }
            }
        }
        pairTable = table
    }

    /// True when every row of `x` (`rows x 4`) is all zeros or a single exact 1.
    static func isOneHot(_ x: UnsafePointer<Float>, rows: Int) -> Bool {
        for r in 0..<rows {
            var ones = 0
            for c in 0..<4 {
                let v = x[r * 4 + c]
                if v == 1 { ones += 1 } else if v != 0 { return false }
            }
            if ones > 1 { return false }
        }
        return true
    }

    var fusesEpilogue: Bool { true }

    func forward(
        _ x: UnsafePointer<Float>, length: Int, into y: UnsafeMutablePointer<Float>, outputLength: Int,
        epilogue: RowEpilogue?
    ) {
        let s = shape
        let n = s.outputs
        // Base code of each input row: 0...3, or 4 for an all-zero (N) row; one code past the end
        // stands for the missing partner of an odd last tap.
        var code = [Int](repeating: 4, count: length + s.dilation)
        for r in 0..<length {
            for c in 0..<4 where x[r * 4 + c] == 1 { code[r] = c }
        }
        pairTable.withUnsafeBufferPointer { table in
            code.withUnsafeBufferPointer { code in
                let t0 = table.baseAddress!
                for t in 0..<outputLength {
                    let out = y + t * n
                    let at = t * s.stride
                    var row = t0 + (code[at] * 5 + code[at + s.dilation]) * n
                    for o in 0..<n { out[o] = row[o] }
                    for p in 1..<max(pairs, 1) {
                        let first = at + 2 * p * s.dilation
                        row = t0 + ((p * 25) + code[first] * 5 + code[first + s.dilation]) * n
                        for o in 0..<n { out[o] += row[o] }
                    }
                    epilogue?.apply(out)
                }
            }
        }
    }
}
