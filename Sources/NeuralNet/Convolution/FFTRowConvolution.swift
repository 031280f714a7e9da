import CFFTW
import CKernels
import COpenBLAS
import Foundation

/// Long convolution by FFT overlap-save (stride 1, dilation 1), for kernels where the direct sum
/// costs too much: FusionAI's second layer has 200 taps x 256 inputs x 32 outputs, 1.64 M
/// multiply-adds per output position directly, about 30 K here.
///
/// The input is cut into blocks of `fftSize` rows that overlap by `taps - 1`; each block yields
/// `step = fftSize - taps + 1` outputs. Per chunk of blocks:
///
///   1. forward real FFTs of every input channel of every block (FFTW, reading the channels-last
///      rows in place), written so that bin `f` of all blocks forms one matrix `X_f [blocks x inputWidth]`;
///   2. for every bin, `Y_f [blocks x outputs] = X_f * W_f [inputWidth x outputs]`, where `W_f` is
///      the spectrum of the time-reversed kernel (cross-correlation), scaled by 1/N: an AVX2 kernel
///      on `W_f` packed once (`fusionai_complex_product`), or one `cgemm` per bin on other CPUs
///      (OpenBLAS repacks `W_f`, 64 kB a bin, on every call: a fifth of the layer's time);
///   3. inverse real FFTs of every output channel; the last `step` values of each block are the
///      valid outputs.
///
/// Leading dimensions are padded off powers of two (they made strided FFTs several times slower).
final class FFTRowConvolution: RowConvolutionEngine, @unchecked Sendable {
    let shape: RowConvolutionShape
    let fftSize: Int
    let bins: Int
    let step: Int
    /// Blocks transformed together: the M of each cgemm.
    let slots: Int
    let inputPitch: Int, outputPitch: Int
    /// Floats between one channel's block and the next in the real scratch arrays.
    let rowPitch: Int
    let spectrumStride: Int, outputSpectrumStride: Int
    /// `W_f` for every bin, for `cgemm`: `[bins][inputWidth][outputs]` complex; nil with ``packedSpectrum``.
    private let kernelSpectrum: UnsafeMutablePointer<fftwf_complex>?
    /// `W_f` for every bin packed for the SIMD kernel (`[bins][packedFloats]`), on CPUs that run it.
    private let packedSpectrum: UnsafeMutablePointer<Float>?
    private let packedFloats: Int
    /// Whether the AVX2 kernels run (here and in the kernel gradient), else OpenBLAS.
    var usesSIMD: Bool { packedSpectrum != nil }
    let forwardPlan: fftwf_plan
    private let inversePlan: fftwf_plan
    let pool = WorkspacePool<Workspace>()
    /// The engine of the flipped, transposed kernel, which turns `dL/dz` into `dL/dx` (built on the
    /// first backward pass); nil for that engine itself, which never runs backward.
    private let transposed: LazyEngine?

    /// FFTW's planner is not thread-safe; execution of finished plans is.
    static let plannerLock = NSLock()

    /// The FFT size for a kernel of `taps`: the power of two that is at least four times the
    /// kernel, at least 256 (measured best for FusionAI's 200 taps: 1024).
    static func fftSize(forTaps taps: Int) -> Int {
        var n = 256
        while n < 4 * taps { n *= 2 }
        return n
    }

    /// Bytes an engine of `shape` holds: the kernel spectra and a thread's block spectra (32 slots
    /// of inputs and outputs), for itself and its transposed engine. Saturates instead of overflowing.
    static func estimatedBytes(_ shape: RowConvolutionShape) -> Int {
        let bins = fftSize(forTaps: shape.taps) / 2 + 1
        let pairs = shape.inputWidth.multipliedReportingOverflow(by: shape.outputs)
        let slots = 32 * (shape.inputWidth + shape.outputs + 8)
        guard !pairs.overflow, pairs.partialValue <= Int.max / 64 / max(1, bins) else { return Int.max }
        return 2 * 8 * bins * (pairs.partialValue + slots)
    }

    /// Above this (2 GiB) an engine's spectra would not fit a machine's memory next to a run's
    /// other data; such a layer runs on the direct engine, slower but small.
    static let largestEngine = 1 << 31

    /// - Parameter transposable: whether the engine may run backward (it then keeps the kernel to
    ///   build the transposed engine from).
    /// - Parameter simd: whether to use the AVX2 kernel for the per-bin products (tests compare both).
    init(
        shape: RowConvolutionShape, kernel: [Float], fftSize: Int? = nil, slots: Int = 32, transposable: Bool = true,
        simd: Bool = SIMDKernels.available
    ) {
        precondition(shape.stride == 1 && shape.dilation == 1, "FFT convolution needs stride 1 and dilation 1")
        self.shape = shape
        transposed = transposable ? LazyEngine { Self.makeTransposed(shape: shape, kernel: kernel, simd: simd) } : nil
        let n = fftSize ?? Self.fftSize(forTaps: shape.taps)
        precondition(n >= shape.taps, "FFT size must cover the kernel")
        self.fftSize = n
        bins = n / 2 + 1
        step = n - shape.taps + 1
        self.slots = slots
        // Row pitches rounded up to 4 complex values (32 bytes), so every block's slice is as
        // aligned as the arrays the plans were made on; strides kept off powers of two.
        rowPitch = n + 16
        inputPitch = (shape.inputWidth + 3) / 4 * 4
        outputPitch = (shape.outputs + 3) / 4 * 4
        spectrumStride = slots * inputPitch + 4
        outputSpectrumStride = slots * outputPitch + 4

        let (cin, cout) = (shape.inputWidth, shape.outputs)
        let spectra = fftwf_alloc_complex(bins * cin * cout)!
        let work = Workspace(
            rowPitch: rowPitch, inputs: cin, outputs: cout,
            spectrum: bins * spectrumStride, outputSpectrum: bins * outputSpectrumStride)
        Self.plannerLock.lock()
        var size = Int32(n)
        // Each channel's block is a contiguous row of `rowPitch` floats (n plus padding, off a power
        // of two). Strided transforms straight from channels-last rows measured 3x slower.
        forwardPlan = fftwf_plan_many_dft_r2c(
            1, &size, Int32(cin), work.realInput, nil, 1, Int32(rowPitch),
            work.spectrum, nil, Int32(spectrumStride), 1, UInt32(FFTW_ESTIMATE))
        inversePlan = fftwf_plan_many_dft_c2r(
            1, &size, Int32(cout), work.outputSpectrum, nil, Int32(outputSpectrumStride), 1,
            work.realOutput, nil, 1, Int32(rowPitch), UInt32(FFTW_ESTIMATE))
        // Kernel spectra: one transform per (input, output) pair of the reversed, scaled kernel, all
        // outputs of an input at once, then stored bin-major in runs of `cout` values (one value
        // at a time, 64 kB apart, had missed the TLB on every store: a third of a model's loading).
        let impulses = fftwf_alloc_real(cout * n)!
        let spectrum = fftwf_alloc_complex(cout * bins)!
        var kernelSize = Int32(n)
        let kernelPlan = fftwf_plan_many_dft_r2c(
            1, &kernelSize, Int32(cout), impulses, nil, 1, Int32(n), spectrum, nil, 1, Int32(bins),
            UInt32(FFTW_ESTIMATE))
        Self.plannerLock.unlock()
        let scale = 1 / Float(n)
        for c in 0..<cin {
            impulses.update(repeating: 0, count: cout * n)
            kernel.withUnsafeBufferPointer { k in
                for m in 0..<shape.taps {
                    let tap = k.baseAddress! + ((shape.taps - 1 - m) * cin + c) * cout
                    for o in 0..<cout { impulses[o * n + m] = tap[o] * scale }
                }
            }
            fftwf_execute(kernelPlan)
            for f in 0..<bins {
                let run = spectra + (f * cin + c) * cout
                for o in 0..<cout { run[o] = spectrum[o * bins + f] }
            }
        }
        let (bins, packedFloats) = (bins, fusionai_packed_spectrum_floats(cin, cout))
        self.packedFloats = packedFloats
        if simd {
            let packed = fftwf_alloc_real(bins * packedFloats)!
            let floats = UnsafeMutableRawPointer(spectra).assumingMemoryBound(to: Float.self)
            for f in 0..<bins {
                fusionai_pack_spectrum(floats + 2 * f * cin * cout, cin, cout, packed + f * packedFloats)
            }
            fftwf_free(spectra)
            packedSpectrum = packed
            kernelSpectrum = nil
        } else {
            packedSpectrum = nil
            kernelSpectrum = spectra
        }
        Self.plannerLock.lock()
        fftwf_destroy_plan(kernelPlan)
        Self.plannerLock.unlock()
        fftwf_free(impulses)
        fftwf_free(spectrum)
        pool.give(work)
    }

    /// `source [rows x columns]` (row pitch `sourcePitch`) -> `target [columns x rows]` (row pitch
    /// `pitch`), in 16 x 16 tiles so both sides stay in cache.
    func transpose(
        _ source: UnsafePointer<Float>, rows: Int, columns: Int, into target: UnsafeMutablePointer<Float>,
        pitch: Int, sourcePitch: Int? = nil
    ) {
        let from = sourcePitch ?? columns
        let tile = 16
        var r0 = 0
        while r0 < rows {
            let r1 = min(rows, r0 + tile)
            var c0 = 0
            while c0 < columns {
                let c1 = min(columns, c0 + tile)
                for c in c0..<c1 {
                    let out = target + c * pitch
                    for r in r0..<r1 { out[r] = source[r * from + c] }
                }
                c0 = c1
            }
            r0 = r1
        }
    }

    deinit {
        Self.plannerLock.lock()
        fftwf_destroy_plan(forwardPlan)
        fftwf_destroy_plan(inversePlan)
        Self.plannerLock.unlock()
        fftwf_free(kernelSpectrum)
        fftwf_free(packedSpectrum)
    }

    var fusesEpilogue: Bool { true }

    func forward(
        _ x: UnsafePointer<Float>, length: Int, into y: UnsafeMutablePointer<Float>, outputLength: Int,
        epilogue: RowEpilogue?
    ) {
        forward(
            ChannelsLastRows(rows: x, width: shape.inputWidth, engine: self), length: length, into: y,
            outputLength: outputLength, epilogue: epilogue)
    }

    /// The convolution of the `length` input rows that `source` writes, into channels-last `y`.
    func forward(
        _ source: some ChannelRowSource, length: Int, into y: UnsafeMutablePointer<Float>, outputLength: Int,
        epilogue: RowEpilogue?
    ) {
        var sink = ChannelsLastOutput(rows: y, width: shape.outputs, epilogue: epilogue, engine: self)
        forward(source, length: length, into: &sink, outputLength: outputLength)
    }

    /// The convolution of the `length` input rows that `source` writes, block by block, each block's
    /// output rows handed to `sink` channel-major in order: neither the input nor the output need
    /// ever exist channels-last (see ``OneHotRowConvolution/rows(of:length:epilogue:)`` and
    /// ``ConvolutionPair``).
    func forward(
        _ source: some ChannelRowSource, length: Int, into sink: inout some ChannelRowSink, outputLength: Int
    ) {
        let (n, cin, cout, taps) = (fftSize, shape.inputWidth, shape.outputs, shape.taps)
        let work =
            pool.take()
            ?? Workspace(
                rowPitch: rowPitch, inputs: cin, outputs: cout,
                spectrum: bins * spectrumStride, outputSpectrum: bins * outputSpectrumStride)
        defer { pool.give(work) }
        let blocks = (outputLength + step - 1) / step
        var one = (Float(1), Float(0))
        var zero = (Float(0), Float(0))
        var first = 0
        while first < blocks {
            let used = min(slots, blocks - first)
            // 1. Forward transforms of block j's rows [start, start + n), zero past the input's end.
            //    Blocks overlap by `taps - 1` rows: those are moved over from the previous block
            //    (still in `realInput`, which r2c transforms preserve) instead of written again.
            for j in 0..<used {
                let start = (first + j) * step
                let end = min(start + n, length)
                var from = start
                if first + j > 0 {
                    for c in 0..<cin {
                        let row = work.realInput + c * rowPitch
                        row.update(from: row + step, count: taps - 1)
                    }
                    from = start + taps - 1
                }
                if from < end {
                    source.write(rows: from..<end, into: work.realInput + (from - start), pitch: rowPitch)
                }
                let written = max(end, from) - start
                if written < n {
                    for c in 0..<cin {
                        (work.realInput + c * rowPitch + written).update(repeating: 0, count: n - written)
                    }
                }
                fftwf_execute_dft_r2c(forwardPlan, work.realInput, work.spectrum + j * inputPitch)
            }
            // 2. Channel mixing, bin by bin.
            if let packed = packedSpectrum {
                let x = UnsafeMutableRawPointer(work.spectrum).assumingMemoryBound(to: Float.self)
                let y = UnsafeMutableRawPointer(work.outputSpectrum).assumingMemoryBound(to: Float.self)
                for f in 0..<bins {
                    fusionai_complex_product(
                        x + 2 * f * spectrumStride, inputPitch, used, cin, packed + f * packedFloats, cout,
                        y + 2 * f * outputSpectrumStride, outputPitch)
                }
            } else if let kernelSpectrum {
                for f in 0..<bins {
                    cblas_cgemm(
                        CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(used), Int32(cout), Int32(cin), &one,
                        work.spectrum + f * spectrumStride, Int32(inputPitch),
                        kernelSpectrum + f * cin * cout, Int32(cout), &zero,
                        work.outputSpectrum + f * outputSpectrumStride, Int32(outputPitch))
                }
            }
            // 3. Inverse transforms; the last `step` values of each block are valid outputs.
            for j in 0..<used {
                fftwf_execute_dft_c2r(inversePlan, work.outputSpectrum + j * outputPitch, work.realOutput)
                let start = (first + j) * step
                sink.take(
                    rows: start..<min(start + step, outputLength), from: work.realOutput + taps - 1, pitch: rowPitch)
            }
            first += used
        }
    }
}

/// Where an FFT convolution's input rows come from: something that writes rows `[lo, hi)` channel
/// by channel, channel `c`'s row `r` at `target[c * pitch + r - lo]`.
protocol ChannelRowSource {
    func write(rows: Range<Int>, into target: UnsafeMutablePointer<Float>, pitch: Int)
}

/// Where an FFT convolution's output rows go: rows `[lo, hi)` handed over channel by channel,
/// channel `c`'s row `r` at `block[c * pitch + r - lo]`, blocks in order of their rows.
protocol ChannelRowSink {
    mutating func take(rows: Range<Int>, from block: UnsafeMutablePointer<Float>, pitch: Int)
}

/// Output rows stored channels-last, `[length, width]`, by a tiled transpose, with the epilogue.
struct ChannelsLastOutput: ChannelRowSink {
    let rows: UnsafeMutablePointer<Float>
    let width: Int
    let epilogue: RowEpilogue?
    let engine: FFTRowConvolution

    func take(rows range: Range<Int>, from block: UnsafeMutablePointer<Float>, pitch: Int) {
        let y = rows + range.lowerBound * width
        engine.transpose(block, rows: width, columns: range.count, into: y, pitch: width, sourcePitch: pitch)
        guard let epilogue else { return }
        for t in 0..<range.count { epilogue.apply(y + t * width) }
    }
}

/// Rows stored channels-last, `[length, width]`: written by a tiled transpose.
struct ChannelsLastRows: ChannelRowSource {
    let rows: UnsafePointer<Float>
    let width: Int
    let engine: FFTRowConvolution

    func write(rows range: Range<Int>, into target: UnsafeMutablePointer<Float>, pitch: Int) {
        engine.transpose(rows + range.lowerBound * width, rows: range.count, columns: width, into: target, pitch: pitch)
    }
}

extension FFTRowConvolution: DifferentiableRowEngine {
    /// The engine of `W'[t, o, c] = W[taps - 1 - t, c, o]`: inputs and outputs swap, taps run backwards.
    private static func makeTransposed(shape: RowConvolutionShape, kernel: [Float], simd: Bool) -> FFTRowConvolution {
        let (taps, width, outputs) = (shape.taps, shape.inputWidth, shape.outputs)
        var flipped = [Float](repeating: 0, count: kernel.count)
        for t in 0..<taps {
            for c in 0..<width {
                for o in 0..<outputs {
                    flipped[(t * outputs + o) * width + c] = kernel[((taps - 1 - t) * width + c) * outputs + o]
                }
            }
        }
        return FFTRowConvolution(
            shape: RowConvolutionShape(taps: taps, inputWidth: outputs, outputs: width, stride: 1, dilation: 1),
            kernel: flipped, transposable: false, simd: simd)
    }

    /// The engine that turns `dL/dz` into `dL/dx` (built on first use).
    /// - Precondition: the engine was made transposable.
    var transposedEngine: FFTRowConvolution {
        guard let transposed else { preconditionFailure("a transposed FFT engine never runs backward") }
        return transposed.engine
    }

    func backward(length: Int, outputLength: Int, kernelGradient: Bool) -> any RowConvolutionBackward {
        FFTRowBackward(
            transposed: transposedEngine, length: length, outputLength: outputLength, taps: shape.taps,
            outputs: shape.outputs, weights: kernelGradient ? FFTWeightGradient(engine: self) : nil)
    }
}

/// Backward by FFT as well: `dx` is the convolution of `dz`, zero-padded by `taps - 1` rows at both
/// ends, with the flipped, transposed kernel; `dW` comes from ``FFTWeightGradient``.
struct FFTRowBackward: RowConvolutionBackward {
    let transposed: FFTRowConvolution
    let length: Int
    let outputLength: Int
    let taps: Int
    let outputs: Int
    let weights: FFTWeightGradient?
    /// `dz` between `taps - 1` zero rows at each end: the ends stay zero, only the middle is
    /// rewritten per sample.
    private var paddedDz: [Float]

    init(
        transposed: FFTRowConvolution, length: Int, outputLength: Int, taps: Int, outputs: Int,
        weights: FFTWeightGradient?
    ) {
        self.transposed = transposed
        self.length = length
        self.outputLength = outputLength
        self.taps = taps
        self.outputs = outputs
        self.weights = weights
        paddedDz = [Float](repeating: 0, count: (outputLength + 2 * (taps - 1)) * outputs)
    }

    mutating func inputGradient(_ dz: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>) {
        // Copied out first: writing into paddedDz holds exclusive access to self.
        let (length, outputLength, taps, outputs, transposed) = (length, outputLength, taps, outputs, transposed)
        paddedDz.withUnsafeMutableBufferPointer { z in
            (z.baseAddress! + (taps - 1) * outputs).update(from: dz, count: outputLength * outputs)
            transposed.forward(z.baseAddress!, length: outputLength + 2 * (taps - 1), into: dx, outputLength: length)
        }
    }

    func addKernelGradient(_ x: UnsafePointer<Float>, dz: UnsafePointer<Float>) {
        weights?.add(x, length: length, dz: dz, outputLength: outputLength)
    }

    func kernelGradient() -> [Float] { weights?.result() ?? [] }
}

/// An FFT engine built the first time it is needed (the transposed kernel of a layer that may
/// never run backward), once, whichever thread asks first.
final class LazyEngine: @unchecked Sendable {
    private let lock = NSLock()
    private let make: @Sendable () -> FFTRowConvolution
    private var built: FFTRowConvolution?

    init(_ make: @escaping @Sendable () -> FFTRowConvolution) {
        self.make = make
    }

    var engine: FFTRowConvolution {
        lock.lock()
        defer { lock.unlock() }
        if let built { return built }
        let engine = make()
        built = engine
        return engine
    }
}

/// Scratch arrays for one FFT convolution call, allocated with FFTW's allocator (SIMD-aligned,
/// as the plans expect) and reused across calls.
final class Workspace: @unchecked Sendable {
    let realInput: UnsafeMutablePointer<Float>
    let spectrum: UnsafeMutablePointer<fftwf_complex>
    let outputSpectrum: UnsafeMutablePointer<fftwf_complex>
    let realOutput: UnsafeMutablePointer<Float>

    init(rowPitch: Int, inputs: Int, outputs: Int, spectrum: Int, outputSpectrum: Int) {
        realInput = fftwf_alloc_real(inputs * rowPitch)
        self.spectrum = fftwf_alloc_complex(spectrum)
        self.outputSpectrum = fftwf_alloc_complex(outputSpectrum)
        realOutput = fftwf_alloc_real(outputs * rowPitch)
        // Pad columns of the spectra are never read by the cgemm; zero them once for tidiness.
        self.spectrum.update(repeating: (0, 0), count: spectrum)
        self.outputSpectrum.update(repeating: (0, 0), count: outputSpectrum)
    }

    deinit {
        fftwf_free(realInput)
        fftwf_free(spectrum)
        fftwf_free(outputSpectrum)
        fftwf_free(realOutput)
    }
}

/// Workspaces handed to whichever thread needs one, so concurrent calls never share scratch space.
final class WorkspacePool<Workspace: AnyObject>: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [Workspace] = []

    func take() -> Workspace? {
        lock.lock()
        defer { lock.unlock() }
        return free.popLast()
    }

    func give(_ workspace: Workspace) {
        lock.lock()
        free.append(workspace)
        lock.unlock()
    }
}
