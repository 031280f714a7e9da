// Per-layer profile of a FusionAI network: where forward, backward (input gradients; the training
// backward with kernel gradients) and in-silico mutagenesis spend their time, each layer's
// arithmetic as its engine computes it, and that rate against the best this machine's cores do
// (OpenBLAS SGEMM on one thread). Prints a TSV (see README.md beside this file).
//
// Run: swift run -c release layer-profile [--model FILE] [--samples N] [--threads T] [--ism-positions P]
import CMalloc
import COpenBLAS
import Dispatch
import Foundation
import FusionAI
import NeuralNet

/// Command-line settings: `--model` (default: the full-size FusionAI network with seeded random
/// weights), `--samples` sequences (16: a training batch), `--threads` for the throughput rows (2),
/// `--ism-positions` (2000).
struct Settings {
    var model: String?
    var samples = 16
    var threads = 2
    var ismPositions = 2_000

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw ProfileError("\(flag) needs a value") }
            switch flag {
            case "--model": model = value
            case "--samples": samples = try Self.positive(value, flag)
            case "--threads": threads = try Self.positive(value, flag)
            case "--ism-positions": ismPositions = try Self.positive(value, flag)
            default: throw ProfileError("unknown option \(flag)")
            }
        }
    }

    private static func positive(_ text: String, _ flag: String) throws -> Int {
        guard let n = Int(text), n > 0 else { throw ProfileError("\(flag) takes a positive number, not \(text)") }
        return n
    }
}

struct ProfileError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One row of the table: a layer (or a whole pass) in one pass.
struct Row {
    let pass: String
    let layer: String
    let engine: String
    let seconds: Double
    let flops: Double
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

func timed<T>(_ body: () -> T) -> (value: T, seconds: Double) {
    let start = now()
    let value = body()
    return (value, now() - start)
}

/// Single-thread SGEMM rate (1024 x 1024 x 1024, best of 3): the "peak" the shares are against.
func sgemmPeak() -> Double {
    let n = 1024
    let a = [Float](repeating: 0.5, count: n * n)
    let b = [Float](repeating: 0.25, count: n * n)
    var c = [Float](repeating: 0, count: n * n)
    openblas_set_num_threads(1)
    var best = Double.infinity
    for _ in 0..<4 {
        best = min(
            best,
            timed {
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1, a, Int32(n), b,
                    Int32(n),
                    0, &c, Int32(n))
            }.seconds)
    }
    return 2 * Double(n * n * n) / best
}

/// Floating-point operations of the real FFT of `n` points (the usual 2.5 n log2 n).
func realFFT(_ n: Int) -> Double { 2.5 * Double(n) * log2(Double(n)) }

/// Overlap-save by FFT of `rows` input rows to `outputs` rows: per block, the input channels'
/// transforms, the per-bin complex product (8 flops per complex multiply-add), the outputs'
/// inverse transforms.
func fftConvolution(n: Int, taps: Int, inputs: Int, outputs: Int, outputRows: Int) -> Double {
    let blocks = Double((outputRows + n - taps) / (n - taps + 1))
    return blocks * (Double(inputs + outputs) * realFFT(n) + Double(n / 2 + 1) * Double(inputs * outputs) * 8)
}

/// The arithmetic of one sample through `layer` at input shape `input`, as its engine does it:
/// forward, backward to the input, and the kernel gradient.
struct LayerArithmetic {
    var forward = 0.0
    var inputGradient = 0.0
    var kernelGradient = 0.0
    var engine = ""

    init(_ layer: any Layer, input: [Int], oneHotInput: Bool) throws {
        let output = try layer.outputShape(for: input)
        let outputCount = Double(output.reduce(1, *))
        forward = outputCount
        inputGradient = Double(input.reduce(1, *))
        switch layer {
        case let c as Convolution:
            let (taps, width, rows) = (c.kernel.shape[0], c.kernel.shape[1] * c.kernel.shape[2], output[0])
            let direct = 2 * Double(rows * taps * width * c.filters)
            if oneHotInput && c.takesOneHotGather {
                // One addition per output value per pair of taps, plus bias and ReLU.
                forward = Double(rows * (taps + 1) / 2 * c.filters) + 2 * outputCount
                engine = "one-hot gather"
                inputGradient = direct
                kernelGradient = direct
            } else if let n = c.fftSize {
                forward = fftConvolution(n: n, taps: taps, inputs: width, outputs: c.filters, outputRows: rows)
                engine = "FFT \(n)"
                inputGradient = fftConvolution(
                    n: n, taps: taps, inputs: c.filters, outputs: width, outputRows: input[0])
                kernelGradient = forward
            } else {
                forward = direct
                engine = "GEMM"
                inputGradient = direct
                kernelGradient = direct
            }
        case let d as Dense:
            forward = 2 * Double(d.inputs * d.units)
            inputGradient = forward
            kernelGradient = forward
            engine = "GEMV"
        case let p as Pooling:
            forward = outputCount * Double(p.pool.0 * p.pool.1)
            engine = "\(p.kind) pool"
        default:
            // Reshapes and masks: memory traffic, no arithmetic worth a rate.
            forward = 0
            inputGradient = 0
            engine = "elementwise"
        }
    }
}

func oneHotSequences(_ count: Int, length: Int) -> Tensor {
    var state: UInt64 = 7
    var data = [Float](repeating: 0, count: count * length * 4)
    for i in 0..<(count * length) {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let code = Int(state >> 61)  // 0...7: A, C, G, T, or (1 in 8) N
        if code < 4 { data[i * 4 + code] = 1 } else if code == 4 { data[i * 4] = 1 }
    }
    return Tensor(shape: [count, length, 4, 1], data: data)
}

func sample(_ x: Tensor, _ i: Int) -> Tensor {
    Tensor(shape: [1] + Array(x.shape.dropFirst()), data: Array(x.data[(i * x.sampleSize)..<((i + 1) * x.sampleSize)]))
}

func profile(_ settings: Settings) throws -> [Row] {
    fusionai_tune_malloc()
    let model =
        try settings.model.map(ModelFile.load) ?? Initializers.randomWeights(for: FusionAIArchitecture.spec(), seed: 1)
    guard model.inputShape.count >= 2, model.inputShape.dropFirst().reduce(1, *) == 4 else {
        throw ProfileError("the model's input \(model.inputShape) is not one-hot DNA (length x 4)")
    }
    let length = model.inputShape[0]
    let x = oneHotSequences(settings.samples, length: length)
    var shapes = [model.inputShape]
    for layer in model.layers { shapes.append(try layer.outputShape(for: shapes[shapes.count - 1])) }
    let arithmetic = try model.layers.indices.map {
        try LayerArithmetic(model.layers[$0], input: shapes[$0], oneHotInput: $0 == 0)
    }
    let n = Double(settings.samples)
    var rows: [Row] = []

    // Forward, layer by layer on one thread, one sample at a time as predict runs them; then the
    // whole forward as predict runs it (the one-hot and FFT convolutions fused).
    _ = model.forward(sample(x, 0))  // warm-up: plans, workspaces
    var forward = [Double](repeating: 0, count: model.layers.count)
    var fused = 0.0
    for s in 0..<settings.samples {
        var a = sample(x, s)
        for (i, layer) in model.layers.enumerated() {
            let (y, seconds) = timed { layer.forward(a) }
            forward[i] += seconds
            a = y
        }
        fused += timed { model.forward(sample(x, s)) }.seconds
    }
    for (i, layer) in model.layers.enumerated() {
        rows.append(
            Row(
                pass: "forward", layer: layer.name, engine: arithmetic[i].engine, seconds: forward[i] / n,
                flops: arithmetic[i].forward))
    }
    let forwardFlops = arithmetic.reduce(0) { $0 + $1.forward }
    rows.append(
        Row(
            pass: "forward", layer: "(all, fused as predict runs it)", engine: "", seconds: fused / n,
            flops: forwardFlops))

    // Backward from dL/dP(positive), layer by layer over the whole batch (as training runs it: the
    // kernel gradient's per-batch work, its inverse transforms, is shared by the batch): input
    // gradients only (grad-input, saliency), then with kernel gradients (a training step's backward).
    var activations = [x]
    for layer in model.layers { activations.append(layer.forward(activations[activations.count - 1])) }
    let outputs = activations[activations.count - 1]
    let perSample = model.outputShape.reduce(1, *)
    let seed = Tensor(shape: outputs.shape, data: outputs.data.indices.map { $0 % perSample == perSample - 1 ? 1 : 0 })
    for parameterGradients in [false, true] {
        var gradient = seed
        var seconds = [Double](repeating: 0, count: model.layers.count)
        for (i, layer) in model.layers.enumerated().reversed() {
            let (g, t) = timed {
                layer.backward(
                    input: activations[i], output: activations[i + 1], outputGradient: gradient,
                    parameterGradients: parameterGradients)
            }
            seconds[i] = t
            gradient = g.input
        }
        let pass = parameterGradients ? "backward+kernel" : "backward"
        for (i, layer) in model.layers.enumerated() {
            let a = arithmetic[i]
            rows.append(
                Row(
                    pass: pass, layer: layer.name, engine: a.engine, seconds: seconds[i] / n,
                    flops: a.inputGradient + (parameterGradients ? a.kernelGradient : 0)))
        }
    }
    activations = []

    // Whole gradients as the tools run them, forward included: dL/dx one sample at a time (explain's
    // gradient methods: the one-hot and FFT convolutions fused both ways), and a training step's
    // dL/dw over the batch (no dL/dx; the first layer's kernel gradient by one-hot sums). Time only:
    // the fused engines' arithmetic is not the layers' own.
    let seedOf: (Tensor) -> Tensor = { y in
        Tensor(shape: y.shape, data: y.data.indices.map { $0 % perSample == perSample - 1 ? 1 : 0 })
    }
    var explainGradient = 0.0
    for s in 0..<settings.samples {
        explainGradient += timed { model.gradients(sample(x, s), loss: seedOf) }.seconds
    }
    rows.append(
        Row(
            pass: "gradient (forward + dL/dx, as explain runs it)", layer: "(all)", engine: "",
            seconds: explainGradient / n, flops: 0))
    let step = timed { model.gradients(x, parameterGradients: true, inputGradient: false, loss: seedOf) }.seconds
    rows.append(
        Row(
            pass: "gradient (forward + dL/dw, as training runs it)", layer: "(all)", engine: "",
            seconds: step / n, flops: 0))

    // Exact ISM of the first sequence over positions in its middle, extrapolated to all of them;
    // the scan's own forward pass is timed apart (a one-position scan) and added once.
    if let scan = try? MutagenesisScan(model: model, outputIndex: model.outputShape.reduce(1, *) - 1) {
        let count = min(settings.ismPositions, length)
        let positions = Array(((length - count) / 2)..<((length - count) / 2 + count))
        let one = sample(x, 0)
        let base = timed { scan.scan(one, positions: [positions[0]], threads: 1) }.seconds
        for threads in Set([1, settings.threads]).sorted() {
            let seconds = timed { scan.scan(one, positions: positions, threads: threads) }.seconds
            rows.append(
                Row(
                    pass: "ism (\(threads) threads, per sequence)", layer: "(all)", engine: "",
                    seconds: base + (seconds - base) * Double(length) / Double(count), flops: 0))
        }
    }

    // Throughput: predict over all samples at 1 thread and at --threads.
    for threads in Set([1, settings.threads]).sorted() {
        let seconds = timed { model.predict(x, threads: threads) }.seconds
        rows.append(
            Row(
                pass: "predict (\(threads) threads, per sequence)", layer: "(all)", engine: "",
                seconds: seconds / n, flops: forwardFlops))
    }
    return rows
}

do {
    let settings = try Settings(Array(CommandLine.arguments.dropFirst()))
    let peak = sgemmPeak()
    let rows = try profile(settings)
    var passTotals: [String: Double] = [:]
    for row in rows where !row.layer.hasPrefix("(") { passTotals[row.pass, default: 0] += row.seconds }
    print("pass\tlayer\tengine\tms_per_seq\tgflop_per_seq\tgflops\tpct_of_peak\tpct_of_pass")
    for row in rows {
        let rate = row.flops > 0 && row.seconds > 0 ? row.flops / row.seconds / 1e9 : 0
        let columns = [
            row.pass, row.layer, row.engine, String(format: "%.2f", row.seconds * 1e3),
            row.flops > 0 ? String(format: "%.4f", row.flops / 1e9) : "",
            rate > 0 ? String(format: "%.1f", rate) : "",
            rate > 0 ? String(format: "%.0f", 100 * rate * 1e9 / peak) : "",
            passTotals[row.pass].map { String(format: "%.1f", 100 * row.seconds / $0) } ?? "",
        ]
        print(columns.joined(separator: "\t"))
    }
    print("# peak: OpenBLAS SGEMM 1024^3 on one thread, \(String(format: "%.1f", peak / 1e9)) GFLOP/s")
} catch {
    FileHandle.standardError.write(Data("layer-profile: \(error)\n".utf8))
    exit(64)
}
