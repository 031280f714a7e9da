import CFFTW
import CKernels
import COpenBLAS

/// dL/dW of an FFT convolution, by FFT as well: `dW[k, c, o] = sum_t x[t + k, c] dz[t, o]` is, for
/// every (input, output) pair, a cross-correlation of the input with the output gradient at lags
/// 0..<taps. Per block of the overlap-save forward pass (the same blocks and padding), with X and D
/// the spectra of the input block and of the block's output-gradient rows zero-padded to the FFT
/// size,
///
///     conj(S_f) [inputs x outputs] += X_f^H [inputs x blocks] * D_f [blocks x outputs]   (per bin: AVX2 or cgemm)
///
/// summed over all blocks of all samples; one inverse FFT per (input, output) pair at the end
/// gives the correlations: the inverse of conj(S) is r at lag -k, so lag k is read at N - k.
/// Per sample that is the forward pass's cost, against taps x inputs x outputs x positions
/// multiply-adds directly (200 x 256 x 32 x 19,782 = 32 G for FusionAI's second layer).
final class FFTWeightGradient {
    private let engine: FFTRowConvolution
    private let sum: UnsafeMutablePointer<fftwf_complex>
    private let dzReal: UnsafeMutablePointer<Float>
    private let dzSpectrum: UnsafeMutablePointer<fftwf_complex>
    private let dzPlan: fftwf_plan
    /// The AVX2 kernel's packing space (nil: cgemm, on CPUs without AVX2 + FMA or when asked).
    private let scratch: UnsafeMutablePointer<Float>?

    init(engine: FFTRowConvolution) {
        self.engine = engine
        let (cin, cout, n) = (engine.shape.inputWidth, engine.shape.outputs, engine.fftSize)
        scratch = engine.usesSIMD ? fftwf_alloc_real((cout + 7) / 8 * engine.slots * 16) : nil
        sum = fftwf_alloc_complex(engine.bins * cin * cout)
        sum.update(repeating: (0, 0), count: engine.bins * cin * cout)
        dzReal = fftwf_alloc_real(cout * engine.rowPitch)
        dzSpectrum = fftwf_alloc_complex(engine.bins * engine.outputSpectrumStride)
        dzSpectrum.update(repeating: (0, 0), count: engine.bins * engine.outputSpectrumStride)
        var size = Int32(n)
        FFTRowConvolution.plannerLock.lock()
        dzPlan = fftwf_plan_many_dft_r2c(
            1, &size, Int32(cout), dzReal, nil, 1, Int32(engine.rowPitch),
            dzSpectrum, nil, Int32(engine.outputSpectrumStride), 1, UInt32(FFTW_ESTIMATE))
        FFTRowConvolution.plannerLock.unlock()
    }

    deinit {
        FFTRowConvolution.plannerLock.lock()
        fftwf_destroy_plan(dzPlan)
        FFTRowConvolution.plannerLock.unlock()
        fftwf_free(sum)
        fftwf_free(dzReal)
        fftwf_free(dzSpectrum)
        fftwf_free(scratch)
    }

    /// Adds one sample: `x [length, inputs]` and `dz [outputLength, outputs]`.
    func add(_ x: UnsafePointer<Float>, length: Int, dz: UnsafePointer<Float>, outputLength: Int) {
        add(
            ChannelsLastRows(rows: x, width: engine.shape.inputWidth, engine: engine), length: length, dz: dz,
            outputLength: outputLength)
    }

    /// Adds one sample whose `length` input rows `source` writes (``ConvolutionPair``: recomputed
    /// from a one-hot table) and `dz [outputLength, outputs]`.
    func add(_ source: some ChannelRowSource, length: Int, dz: UnsafePointer<Float>, outputLength: Int) {
        let e = engine
        let (n, cin, cout, step) = (e.fftSize, e.shape.inputWidth, e.shape.outputs, e.step)
        let work =
            e.pool.take()
            ?? Workspace(
                rowPitch: e.rowPitch, inputs: cin, outputs: cout,
                spectrum: e.bins * e.spectrumStride, outputSpectrum: e.bins * e.outputSpectrumStride)
        defer { e.pool.give(work) }
        let blocks = (outputLength + step - 1) / step
        var one = (Float(1), Float(0))
        var first = 0
        while first < blocks {
            let used = min(e.slots, blocks - first)
            for j in 0..<used {
                let start = (first + j) * step
                let rows = max(0, min(n, length - start))
                if rows > 0 { source.write(rows: start..<(start + rows), into: work.realInput, pitch: e.rowPitch) }
                if rows < n {
                    for c in 0..<cin { (work.realInput + c * e.rowPitch + rows).update(repeating: 0, count: n - rows) }
                }
                fftwf_execute_dft_r2c(e.forwardPlan, work.realInput, work.spectrum + j * e.inputPitch)
                let valid = min(step, outputLength - start)
                e.transpose(dz + start * cout, rows: valid, columns: cout, into: dzReal, pitch: e.rowPitch)
                for o in 0..<cout { (dzReal + o * e.rowPitch + valid).update(repeating: 0, count: n - valid) }
                fftwf_execute_dft_r2c(dzPlan, dzReal, dzSpectrum + j * e.outputPitch)
            }
            if let scratch {
                let xs = UnsafeMutableRawPointer(work.spectrum).assumingMemoryBound(to: Float.self)
                let ds = UnsafeMutableRawPointer(dzSpectrum).assumingMemoryBound(to: Float.self)
                let sums = UnsafeMutableRawPointer(sum).assumingMemoryBound(to: Float.self)
                for f in 0..<e.bins {
                    fusionai_conjugate_product_add(
                        xs + 2 * f * e.spectrumStride, e.inputPitch, used, cin, ds + 2 * f * e.outputSpectrumStride,
                        e.outputPitch, cout, sums + 2 * f * cin * cout, scratch)
                }
                first += used
                continue
            }
            for f in 0..<e.bins {
                cblas_cgemm(
                    CblasRowMajor, CblasConjTrans, CblasNoTrans, Int32(cin), Int32(cout), Int32(used), &one,
                    work.spectrum + f * e.spectrumStride, Int32(e.inputPitch),
                    dzSpectrum + f * e.outputSpectrumStride, Int32(e.outputPitch), &one,
                    sum + f * cin * cout, Int32(cout))
            }
            first += used
        }
    }

    /// `dW [taps, inputs, outputs]` for everything added.
    func result() -> [Float] {
        let e = engine
        let (n, cin, cout, taps) = (e.fftSize, e.shape.inputWidth, e.shape.outputs, e.shape.taps)
        let pairs = cin * cout
        let out = fftwf_alloc_real(pairs * n)!
        defer { fftwf_free(out) }
        var size = Int32(n)
        FFTRowConvolution.plannerLock.lock()
        let plan = fftwf_plan_many_dft_c2r(
            1, &size, Int32(pairs), sum, nil, Int32(pairs), 1, out, nil, 1, Int32(n), UInt32(FFTW_ESTIMATE))
        FFTRowConvolution.plannerLock.unlock()
        fftwf_execute(plan)
        FFTRowConvolution.plannerLock.lock()
        fftwf_destroy_plan(plan)
        FFTRowConvolution.plannerLock.unlock()
        var dW = [Float](repeating: 0, count: taps * pairs)
        let scale = 1 / Float(n)
        for k in 0..<taps {
            let lag = (n - k) % n
            for p in 0..<pairs { dW[k * pairs + p] = out[p * n + lag] * scale }
        }
        return dW
    }
}
