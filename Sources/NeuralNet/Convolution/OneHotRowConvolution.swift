import CKernels

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
    /// The same sums grouped for `fusionai_onehot_rows`, on CPUs that run it.
    private let groupedTable: [Float]?
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
        // The SIMD kernel's layout, [outputs / 8][pairs][25][8]: what one group of outputs needs is
        // contiguous.
        if SIMDKernels.available, n % 8 == 0, pairs <= 64 {
            var grouped = [Float](repeating: 0, count: table.count)
            for g in 0..<(n / 8) {
                for row in 0..<(pairs * 25) {
                    for j in 0..<8 { grouped[(g * pairs * 25 + row) * 8 + j] = table[row * n + g * 8 + j] }
                }
            }
            groupedTable = grouped
        } else {
            groupedTable = nil
        }
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

    /// Whether every sample of `x` (`[batch, rows, 4, …]`) is one-hot, by ``isOneHot(_:rows:)``.
    static func isOneHot(_ x: Tensor, rows: Int) -> Bool {
        let sample = x.sampleSize
        return x.data.withUnsafeBufferPointer { xs in
            (0..<x.batch).allSatisfy { isOneHot(xs.baseAddress! + $0 * sample, rows: rows) }
        }
    }

    var fusesEpilogue: Bool { true }

    func forward(
        _ x: UnsafePointer<Float>, length: Int, into y: UnsafeMutablePointer<Float>, outputLength: Int,
        epilogue: RowEpilogue?
    ) {
        let rows = rows(of: x, length: length, epilogue: epilogue)
        rows.write(positions: 0..<outputLength) { t, values in
            (y + t * shape.outputs).update(from: values, count: shape.outputs)
        }
    }

    /// The output rows of one one-hot sample `x [length, 4]`, bias and activation applied, computed
    /// on demand: what an FFT layer after this one reads its blocks from.
    func rows(of x: UnsafePointer<Float>, length: Int, epilogue: RowEpilogue?) -> OneHotRows {
        OneHotRows(
            shape: shape, pairs: max(pairs, 1), table: pairTable, groupedTable: groupedTable,
            code: Self.codes(of: x, length: length, extra: shape.dilation),
            bias: epilogue?.bias ?? [Float](repeating: 0, count: shape.outputs), relu: epilogue?.relu ?? false)
    }

    /// The base code of each row of one-hot `x [length, 4]`: 0...3, or 4 for an all-zero (N) row;
    /// `extra` codes 4 past the end (the missing partner of an odd last tap).
    private static func codes(of x: UnsafePointer<Float>, length: Int, extra: Int = 0) -> [Int32] {
        var code = [Int32](repeating: 4, count: length + extra)
        for r in 0..<length {
            for c in 0..<4 where x[r * 4 + c] == 1 { code[r] = Int32(c) }
        }
        return code
    }

    /// Adds one one-hot sample's `dL/dW` to `dW [taps, 4, outputs]`: the row of each tap for the
    /// base it reads gains the output gradient, `dW[k, base(t·stride + k·dilation), :] += dz[t, :]`
    /// (N rows add nothing): the gather run backwards, no multiplications. Rows in tiles of 128 and
    /// outputs in groups of 64, so the slice of `dW` being summed into (20 kB for 20 taps) stays in
    /// L1; each value still sums its rows in order.
    func addKernelGradient(
        _ x: UnsafePointer<Float>, length: Int, dz: UnsafePointer<Float>, outputLength: Int,
        into dW: UnsafeMutablePointer<Float>
    ) {
        let code = Self.codes(of: x, length: length)
        let (n, taps) = (shape.outputs, shape.taps)
        let (tile, group) = (128, 64)
        code.withUnsafeBufferPointer { code in
            for t0 in stride(from: 0, to: outputLength, by: tile) {
                for c0 in stride(from: 0, to: n, by: group) {
                    let width = min(group, n - c0)
                    for t in t0..<min(t0 + tile, outputLength) {
                        let g = dz + t * n + c0
                        for k in 0..<taps {
                            let b = Int(code[t * shape.stride + k * shape.dilation])
                            guard b < 4 else { continue }
                            accumulate(g, into: dW + (k * 4 + b) * n + c0, count: width)
                        }
                    }
                }
            }
        }
    }
}

/// A one-hot convolution's output rows for one sample, summed from its pair table on demand.
struct OneHotRows: ChannelRowSource {
    let shape: RowConvolutionShape
    let pairs: Int
    let table: [Float]
    let groupedTable: [Float]?
    let code: [Int32]
    let bias: [Float]
    let relu: Bool

    /// Hands each position of `positions` to `body` with its `outputs` values, in order, from a
    /// reused scratch row.
    func write(positions: Range<Int>, _ body: (Int, UnsafePointer<Float>) -> Void) {
        let n = shape.outputs
        withUnsafeTemporaryAllocation(of: Float.self, capacity: n) { scratch in
            withUnsafeTemporaryAllocation(of: UnsafePointer<Float>.self, capacity: pairs) { rows in
                table.withUnsafeBufferPointer { table in
                    code.withUnsafeBufferPointer { code in
                        bias.withUnsafeBufferPointer { bias in
                            let t0 = table.baseAddress!
                            for t in positions {
                                // Pair p reads the codes at `at + 2p * dilation` and the one after.
                                let at = t * shape.stride
                                for p in 0..<pairs {
                                    let first = at + 2 * p * shape.dilation
                                    let pair = Int(code[first]) * 5 + Int(code[first + shape.dilation])
                                    rows[p] = t0 + (p * 25 + pair) * n
                                }
                                Self.sumRows(
                                    rows, count: pairs, vectors: n / 8, n: n, bias: bias.baseAddress!, relu: relu,
                                    into: scratch.baseAddress!)
                                body(t, scratch.baseAddress!)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Channel-major, eight positions at a time: summed and transposed in AVX2 registers where the
    /// CPU has them, else through a small tile that stays in L1 (the same sums in the same order).
    func write(rows range: Range<Int>, into target: UnsafeMutablePointer<Float>, pitch: Int) {
        let n = shape.outputs
        if let groupedTable {
            groupedTable.withUnsafeBufferPointer { table in
                code.withUnsafeBufferPointer { code in
                    bias.withUnsafeBufferPointer { bias in
                        fusionai_onehot_rows(
                            table.baseAddress, code.baseAddress, pairs, n, shape.stride, shape.dilation,
                            bias.baseAddress, relu ? 1 : 0, range.lowerBound, range.upperBound, target, pitch)
                    }
                }
            }
            return
        }
        let tileRows = 8
        withUnsafeTemporaryAllocation(of: Float.self, capacity: tileRows * n) { tile in
            let tile = tile.baseAddress!
            var lo = range.lowerBound
            while lo < range.upperBound {
                let hi = min(lo + tileRows, range.upperBound)
                write(positions: lo..<hi) { t, values in (tile + (t - lo) * n).update(from: values, count: n) }
                let column = target + (lo - range.lowerBound)
                for c in 0..<n {
                    for i in 0..<(hi - lo) { column[c * pitch + i] = tile[i * n + c] }
                }
                lo = hi
            }
        }
    }

    /// `out = epilogue(Σ rows[p])` for one output position: eight outputs at a time summed in
    /// registers (one store per value instead of one read-modify-write per pair).
    @inline(__always)
    private static func sumRows(
        _ rows: UnsafeMutableBufferPointer<UnsafePointer<Float>>, count: Int, vectors: Int, n: Int,
        bias: UnsafePointer<Float>, relu: Bool, into out: UnsafeMutablePointer<Float>
    ) {
        let zero = SIMD8<Float>(repeating: 0)
        var v = 0
        while v + 4 <= vectors {
            var a0 = load8(bias, v)
            var a1 = load8(bias, v + 1)
            var a2 = load8(bias, v + 2)
            var a3 = load8(bias, v + 3)
            for p in 0..<count {
                let r = rows[p]
                a0 += load8(r, v)
                a1 += load8(r, v + 1)
                a2 += load8(r, v + 2)
                a3 += load8(r, v + 3)
            }
            if relu {
                a0.replace(with: zero, where: a0 .< zero)
                a1.replace(with: zero, where: a1 .< zero)
                a2.replace(with: zero, where: a2 .< zero)
                a3.replace(with: zero, where: a3 .< zero)
            }
            store8(a0, out, v)
            store8(a1, out, v + 1)
            store8(a2, out, v + 2)
            store8(a3, out, v + 3)
            v += 4
        }
        while v < vectors {
            var a = load8(bias, v)
            for p in 0..<count { a += load8(rows[p], v) }
            if relu { a.replace(with: zero, where: a .< zero) }
            store8(a, out, v)
            v += 1
        }
        for o in (vectors * 8)..<n {
            var a = bias[o]
            for p in 0..<count { a += rows[p][o] }
            out[o] = relu ? max(a, 0) : a
        }
    }

    @inline(__always)
    private static func load8(_ p: UnsafePointer<Float>, _ v: Int) -> SIMD8<Float> {
        UnsafeRawPointer(p + 8 * v).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    private static func store8(_ a: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, _ v: Int) {
        UnsafeMutableRawPointer(p + 8 * v).storeBytes(of: a, as: SIMD8<Float>.self)
    }
}
