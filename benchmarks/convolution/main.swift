// Direct (per-tap GEMM) vs FFT overlap-save convolution, one thread, one sample: where does FFT win?
// Run: swift run -c release convolution-benchmark   (prints a TSV; see README.md beside this file)
import Dispatch
import NeuralNet

func values(_ count: Int, seed: UInt64) -> [Float] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Float(state >> 40) / Float(1 << 24) - 0.5
    }
}

func seconds(_ body: () -> Void) -> Double {
    body()  // warm-up: plans, workspaces, caches
    var best = Double.infinity
    for _ in 0..<3 {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return best
}

let length = 20_000
print("inputs\toutputs\ttaps\tdirect_ms\tfft_ms\tfft_speedup")
for (inputs, outputs) in [(256, 32), (64, 64), (16, 16)] {
    let x = Tensor(shape: [1, length, inputs], data: values(length * inputs, seed: 1))
    for taps in [4, 8, 16, 24, 32, 48, 64, 128, 200] {
        let kernel = Tensor(shape: [taps, inputs, outputs], data: values(taps * inputs * outputs, seed: UInt64(taps)))
        var ms: [Convolution.Algorithm: Double] = [:]
        for algorithm in [Convolution.Algorithm.direct, .fft] {
            let layer = try Convolution(
                name: "c", kernel: kernel, bias: nil, strides: (1, 1), dilation: (1, 1), padding: .valid,
                activation: .linear, oneDimensional: true, inputShape: [length, inputs], algorithm: algorithm)
            ms[algorithm] = seconds { _ = layer.forward(x) } * 1000
        }
        let direct = ms[.direct] ?? 0
        let fft = ms[.fft] ?? 0
        let times = [String(format: "%.1f", direct), String(format: "%.1f", fft), String(format: "%.2f", direct / fft)]
        print(([inputs, outputs, taps].map(String.init) + times).joined(separator: "\t"))
    }
}
