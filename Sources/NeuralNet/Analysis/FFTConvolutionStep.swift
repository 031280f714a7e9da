import CFFTW
import CKernels
import Foundation

/// ``ConvolutionStep``'s update by FFT, for a batch of changes at once: the step of a long row
/// convolution (stride and dilation 1) whose changed input rows span at most ``FFTDeltaConvolution/span``.
///
/// A change of `r` input rows changes `r + taps - 1` pre-activation rows by the linear convolution
/// of its difference with the kernel. For FusionAI's second layer (20 rows changed, 200 taps,
/// 256 -> 32) that is 32.8 M multiply-adds directly, about 5 M through a 224-point DFT; and the
/// changes of a batch of substitutions share every product (``FFTDeltaConvolution``). The stored
/// pre-activation plus the convolved difference, then the activation, gives the new rows, as in
/// the direct step; changes wider than the engine's frame take the direct step.
struct FFTConvolutionStep: MutagenesisStep {
    let direct: ConvolutionStep
    let engine: FFTDeltaConvolution

    /// - Parameters:
    ///   - span: the most input rows one change holds (from the layers before).
    ///   - always: use the FFT whatever the cost (tests); otherwise only where it is clearly cheaper.
    /// - Returns: nil where the layer has a stride or dilation, or the FFT would not pay.
    init?(_ direct: ConvolutionStep, span: Int, always: Bool) {
        let g = direct.geometry
        guard g.stride == 1, g.dilation == 1, span >= 1 else { return nil }
        let size = FFTDeltaConvolution.fftSize(atLeast: span + g.taps - 1)
        let bins = size / 2 + 1
        let f = direct.layer.filters
        // Multiply-adds per change: direct taps x rows, or the DFT, the per-bin product (4 real
        // multiply-adds per complex one) and the inverse transforms (about n log2 n each).
        let directCost = span * g.taps * g.width * f
        let fftCost = 2 * bins * span * g.width + 4 * bins * g.width * f + f * size * size.trailingZeroBitCount
        guard always || (g.taps >= 16 && 2 * fftCost < directCost) else { return nil }
        self.direct = direct
        engine = FFTDeltaConvolution(
            kernel: direct.layer.kernel.data, taps: g.taps, inputs: g.width, outputs: f, span: span, fftSize: size)
    }

    var next: MutagenesisStage { .rows }

    func record(input x: Tensor) -> Tensor { direct.record(input: x) }

    func update(_ change: RowChange, input: Tensor, record z: Tensor) -> RowChange? {
        update(batch: [change], input: input, record: z)[0]
    }

    func update(batch changes: [RowChange], input: Tensor, record z: Tensor) -> [RowChange?] {
        let g = direct.geometry
        let (f, width) = (direct.layer.filters, g.width)
        var results = [RowChange?](repeating: nil, count: changes.count)
        // One slot per alternative of every change the engine takes: (change, alternative).
        var slots: [(change: Int, alternative: Int)] = []
        for (i, change) in changes.enumerated() {
            let tlo = max(0, change.rows.lowerBound + g.top - (g.taps - 1))
            let thi = min(g.outputRows, change.rows.upperBound + g.top)
            guard tlo < thi else { continue }
            guard change.rows.count <= engine.span else {
                results[i] = direct.update(change, input: input, record: z)
                continue
            }
            results[i] = RowChange(rows: tlo..<thi, values: [])
            for a in change.values.indices { slots.append((i, a)) }
        }
        var values = [[Float]](repeating: [], count: slots.count)
        input.data.withUnsafeBufferPointer { x in
            z.data.withUnsafeBufferPointer { zs in
                engine.convolve(
                    count: slots.count,
                    write: { s, target, pitch in
                        let change = changes[slots[s].change]
                        let lo = change.rows.lowerBound
                        change.values[slots[s].alternative].withUnsafeBufferPointer { v in
                            for r in 0..<change.rows.count {
                                let (row, old, new) = (target + r * pitch, (lo + r) * width, r * width)
                                for c in 0..<width { row[c] = v[new + c] - x[old + c] }
                            }
                        }
                    },
                    read: { s, sums, pitch in
                        let lo = changes[slots[s].change].rows.lowerBound
                        guard let rows = results[slots[s].change]?.rows else { return }
                        var zNew = Array(zs[(rows.lowerBound * f)..<(rows.upperBound * f)])
                        // Output row t is row t - lo - top + taps - 1 of the convolution.
                        let from = sums + rows.lowerBound - lo - g.top + g.taps - 1
                        zNew.withUnsafeMutableBufferPointer { out in
                            for o in 0..<f {
                                let channel = from + o * pitch
                                for t in 0..<rows.count { out[t * f + o] += channel[t] }
                            }
                        }
                        direct.layer.activation.apply(&zNew, rowLength: f)
                        values[s] = zNew
                    })
            }
        }
        for (s, slot) in slots.enumerated() { results[slot.change]?.values.append(values[s]) }
        return results
    }
}

/// Linear convolutions of many short multi-channel signals (up to ``span`` rows of ``inputs``
/// channels) with one long kernel (`taps x inputs x outputs`), by DFT of size ``fftSize`` (at least
/// `span + taps - 1`, so nothing wraps):
///
///   1. the DFT of every channel of every signal: a GEMM with the `[2 bins x span]` matrix of
///      cosines and sines (the signals are mostly zero, which an FFT would not skip), a few bins at
///      a time, each with its mirror for even sizes (`fusionai_real_dft_mirrored`), giving per bin a
///      real and an imaginary plane `[signals x inputs]`;
///   2. per bin, `[signals x inputs] x [inputs x outputs]` complex against the kernel's spectrum,
///      packed as ``FFTRowConvolution`` packs it (`fusionai_complex_product_planar`);
///   3. FFTW inverse transforms of every output channel (FFTW_ESTIMATE: deterministic plans).
///
/// Signals go through in groups of ``capacity``; a signal's result never depends on the others
/// of its group beyond the group's fixed composition, so a fixed grouping gives the same values
/// for any thread count.
final class FFTDeltaConvolution: @unchecked Sendable {
    let taps: Int
    let inputs: Int
    let outputs: Int
    let span: Int
    let fftSize: Int
    let bins: Int
    /// Signals per product.
    let capacity: Int
    /// Floats between one signal row and the next in the delta matrix, and between DFT planes
    /// (kept off powers of two).
    let deltaPitch: Int
    /// Complex values between one signal's output spectra (`[bins][outputs]`) and the next's: each
    /// signal's inverse transforms read one contiguous block.
    let signalPitch: Int
    /// Floats between one output channel's convolution and the next's.
    let rowPitch: Int
    /// `[2 * bins][span]`: row `2f` the cosines, row `2f + 1` minus the sines of bin `f`.
    private let dft: UnsafeMutablePointer<Float>
    /// Bins whose DFT planes are made together (in cache for the products that read them).
    static let binsPerBlock = 4
    /// The reversed kernel's spectrum scaled by 1/n, `[bins][packedFloats]`, for the complex product.
    private let packed: UnsafeMutablePointer<Float>
    private let packedFloats: Int
    /// Inverse transforms of one signal's `outputs` channels.
    private let inversePlan: fftwf_plan
    private let simd: Bool
    private let pool = WorkspacePool<Workspace>()

    /// The smallest size of at least `n` with no prime factor over 7 (FFTW's fast sizes).
    static func fftSize(atLeast n: Int) -> Int {
        var size = max(n, 2)
        while true {
            var rest = size
            for p in [2, 3, 5, 7] { while rest % p == 0 { rest /= p } }
            if rest == 1 { return size }
            size += 1
        }
    }

    /// - Parameter kernel: `[taps][inputs][outputs]`, a row convolution's kernel.
    init(
        kernel: [Float], taps: Int, inputs: Int, outputs: Int, span: Int, fftSize: Int, capacity: Int = 32,
        simd: Bool = SIMDKernels.available
    ) {
        precondition(fftSize >= span + taps - 1, "the DFT must hold the whole linear convolution")
        self.taps = taps
        self.inputs = inputs
        self.outputs = outputs
        self.span = span
        self.fftSize = fftSize
        self.capacity = capacity
        self.simd = simd
        let n = fftSize
        bins = n / 2 + 1
        deltaPitch = capacity * inputs + 16
        signalPitch = bins * outputs + 4
        rowPitch = (n + 3) / 4 * 4 + 16

        let dft = UnsafeMutablePointer<Float>.allocate(capacity: 2 * bins * span)
        for f in 0..<bins {
            for r in 0..<span {
                // Reduced mod n first so the angle stays small and exact.
                let angle = 2 * Double.pi * Double((f * r) % n) / Double(n)
                dft[2 * f * span + r] = Float(cos(angle))
                dft[(2 * f + 1) * span + r] = Float(-sin(angle))
            }
        }
        self.dft = dft

        packedFloats = fusionai_packed_spectrum_floats(inputs, outputs)
        packed = fftwf_alloc_real(bins * packedFloats)!
        let spectra = UnsafeMutablePointer<Float>.allocate(capacity: 2 * bins * inputs * outputs)
        defer { spectra.deallocate() }
        let impulse = fftwf_alloc_real(n)!
        let spectrum = fftwf_alloc_complex(bins)!
        defer {
            fftwf_free(impulse)
            fftwf_free(spectrum)
        }
        let work = Workspace(
            deltas: span * deltaPitch, planes: 2 * Self.binsPerBlock * deltaPitch, spectrum: capacity * signalPitch,
            real: outputs * rowPitch)
        FFTRowConvolution.plannerLock.lock()
        let kernelPlan = fftwf_plan_dft_r2c_1d(Int32(n), impulse, spectrum, UInt32(FFTW_ESTIMATE))
        var size = Int32(n)
        inversePlan = fftwf_plan_many_dft_c2r(
            1, &size, Int32(outputs), work.spectrum, nil, Int32(outputs), 1,
            work.real, nil, 1, Int32(rowPitch), UInt32(FFTW_ESTIMATE))
        FFTRowConvolution.plannerLock.unlock()
        // Cross-correlation as convolution: the kernel reversed in time, scaled by 1/n for the
        // unnormalised inverse (as FFTRowConvolution does).
        let scale = 1 / Float(n)
        for c in 0..<inputs {
            for o in 0..<outputs {
                impulse.update(repeating: 0, count: n)
                for m in 0..<taps { impulse[m] = kernel[((taps - 1 - m) * inputs + c) * outputs + o] * scale }
                fftwf_execute(kernelPlan)
                for f in 0..<bins {
                    spectra[2 * ((f * inputs + c) * outputs + o)] = spectrum[f].0
                    spectra[2 * ((f * inputs + c) * outputs + o) + 1] = spectrum[f].1
                }
            }
        }
        for f in 0..<bins {
            fusionai_pack_spectrum(spectra + 2 * f * inputs * outputs, inputs, outputs, packed + f * packedFloats)
        }
        FFTRowConvolution.plannerLock.lock()
        fftwf_destroy_plan(kernelPlan)
        FFTRowConvolution.plannerLock.unlock()
        pool.give(work)
    }

    deinit {
        FFTRowConvolution.plannerLock.lock()
        fftwf_destroy_plan(inversePlan)
        FFTRowConvolution.plannerLock.unlock()
        fftwf_free(packed)
        dft.deallocate()
    }

    /// Convolves `count` signals: `write(s, target, pitch)` writes signal `s`'s row `r`, channel
    /// `c` to `target[r * pitch + c]` (rows past its length may be left: they are zero); then
    /// `read(s, sums, pitch)` gets output channel `o`'s convolution at `sums[o * pitch + i]`,
    /// `i < span + taps - 1`, where index `i` is the sum over input rows `i - taps + 1 ... i`.
    func convolve(
        count: Int, write: (Int, UnsafeMutablePointer<Float>, Int) -> Void,
        read: (Int, UnsafePointer<Float>, Int) -> Void
    ) {
        guard count > 0 else { return }
        let work =
            pool.take()
            ?? Workspace(
                deltas: span * deltaPitch, planes: 2 * Self.binsPerBlock * deltaPitch, spectrum: capacity * signalPitch,
                real: outputs * rowPitch)
        defer { pool.give(work) }
        let spectrum = UnsafeMutableRawPointer(work.spectrum).assumingMemoryBound(to: Float.self)
        var first = 0
        while first < count {
            let used = min(capacity, count - first)
            for r in 0..<span { (work.deltas + r * deltaPitch).update(repeating: 0, count: used * inputs) }
            for s in 0..<used { write(first + s, work.deltas + s * inputs, deltaPitch) }
            // 1-2. The DFT a few bins at a time (their planes stay in cache), then channel mixing
            //      bin by bin: [used x inputs] x [inputs x outputs] complex.
            if fftSize % 2 == 0 {
                mirroredTransforms(work, used: used, into: spectrum)
            } else {
                directTransforms(work, used: used, into: spectrum)
            }
            // 3. Inverse transforms, one signal's channels at a time.
            for s in 0..<used {
                fftwf_execute_dft_c2r(inversePlan, work.spectrum + s * signalPitch, work.real)
                read(first + s, work.real, rowPitch)
            }
            first += used
        }
    }

    /// Steps 1-2 for an even size: bins `f`, `f + 1` and their mirrors `n/2 - f`, `n/2 - f - 1` from
    /// one pass over the signals (`fusionai_real_dft_mirrored`).
    private func mirroredTransforms(_ work: Workspace, used: Int, into spectrum: UnsafeMutablePointer<Float>) {
        let half = fftSize / 2
        let low = half / 2 + 1
        let pairs = Self.binsPerBlock / 2
        var f0 = 0
        while f0 < low {
            let block = min(pairs, low - f0)
            if simd {
                fusionai_real_dft_mirrored(
                    work.deltas, deltaPitch, span, used * inputs, dft, f0, block, work.planes, deltaPitch)
            } else {
                fusionai_real_dft_mirrored_portable(
                    work.deltas, deltaPitch, span, used * inputs, dft, f0, block, work.planes, deltaPitch)
            }
            for b in 0..<block {
                product(work.planes, plane: b, bin: f0 + b, used: used, into: spectrum)
                // The middle bin of a size divisible by 4 is its own mirror.
                if half - f0 - b != f0 + b {
                    product(work.planes, plane: block + b, bin: half - f0 - b, used: used, into: spectrum)
                }
            }
            f0 += block
        }
    }

    /// Steps 1-2 for any size: `binsPerBlock` consecutive bins at a time (`fusionai_real_dft`).
    private func directTransforms(_ work: Workspace, used: Int, into spectrum: UnsafeMutablePointer<Float>) {
        var f0 = 0
        while f0 < bins {
            let block = min(Self.binsPerBlock, bins - f0)
            if simd {
                fusionai_real_dft(
                    work.deltas, deltaPitch, span, used * inputs, dft + 2 * f0 * span, block, work.planes, deltaPitch)
            } else {
                fusionai_real_dft_portable(
                    work.deltas, deltaPitch, span, used * inputs, dft + 2 * f0 * span, block, work.planes, deltaPitch)
            }
            for b in 0..<block { product(work.planes, plane: b, bin: f0 + b, used: used, into: spectrum) }
            f0 += block
        }
    }

    /// `[used x inputs] x [inputs x outputs]` complex for one bin, from the DFT planes `2 plane`
    /// (real) and `2 plane + 1` (imaginary) into each signal's spectrum.
    private func product(
        _ planes: UnsafeMutablePointer<Float>, plane: Int, bin: Int, used: Int,
        into spectrum: UnsafeMutablePointer<Float>
    ) {
        let (xr, xi) = (planes + 2 * plane * deltaPitch, planes + (2 * plane + 1) * deltaPitch)
        let (p, y) = (packed + bin * packedFloats, spectrum + 2 * bin * outputs)
        if simd {
            fusionai_complex_product_planar(xr, xi, inputs, used, inputs, p, outputs, y, signalPitch)
        } else {
            fusionai_complex_product_planar_portable(xr, xi, inputs, used, inputs, p, outputs, y, signalPitch)
        }
    }

    /// Scratch arrays for one ``convolve(count:write:read:)`` call, from FFTW's allocator (aligned
    /// as the plan expects).
    private final class Workspace: @unchecked Sendable {
        let deltas: UnsafeMutablePointer<Float>
        let planes: UnsafeMutablePointer<Float>
        let spectrum: UnsafeMutablePointer<fftwf_complex>
        let real: UnsafeMutablePointer<Float>

        init(deltas: Int, planes: Int, spectrum: Int, real: Int) {
            self.deltas = fftwf_alloc_real(deltas)
            self.planes = fftwf_alloc_real(planes)
            self.spectrum = fftwf_alloc_complex(spectrum)
            self.real = fftwf_alloc_real(real)
            self.spectrum.update(repeating: (0, 0), count: spectrum)
        }

        deinit {
            fftwf_free(deltas)
            fftwf_free(planes)
            fftwf_free(spectrum)
            fftwf_free(real)
        }
    }

}
