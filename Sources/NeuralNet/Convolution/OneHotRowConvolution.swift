/// A convolution over one-hot DNA (input width 4, each row all zero or a single 1): every product
/// `x[t + k, c] * kernel[k, c, :]` is either nothing or the row `kernel[k, base, :]`, so the output
/// is a sum of `taps` table rows per position: a gather, with no multiplications at all.
///
/// Rows that are not one-hot (soft encodings, say) must use another engine; ``isOneHot(_:count:)``
/// tells.
struct OneHotRowConvolution: RowConvolutionEngine {
    let shape: RowConvolutionShape
    /// `[taps, 4, outputs]`.
    let kernel: [Float]

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

    func forward(_ x: UnsafePointer<Float>, length: Int, into y: UnsafeMutablePointer<Float>, outputLength: Int) {
        let s = shape
        let n = s.outputs
        // Base of each input row: 0...3, or -1 for an all-zero (N) row.
        var base = [Int](repeating: -1, count: length)
        for r in 0..<length {
            for c in 0..<4 where x[r * 4 + c] == 1 { base[r] = c }
        }
        y.update(repeating: 0, count: outputLength * n)
        kernel.withUnsafeBufferPointer { w in
            let table = w.baseAddress!
            for t in 0..<outputLength {
                let out = y + t * n
                for k in 0..<s.taps {
                    let b = base[t * s.stride + k * s.dilation]
                    if b < 0 { continue }
                    let row = table + (k * 4 + b) * n
                    for o in 0..<n { out[o] += row[o] }
                }
            }
        }
    }
}
