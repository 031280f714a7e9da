import CKernels
import Foundation
import TestSupport
import XCTest

@testable import NeuralNet

/// The FFT update of row convolutions in ``MutagenesisScan`` (``FFTConvolutionStep``) equals brute
/// force, takes only the shapes it supports, and gives the same values for any thread count.
final class FFTMutagenesisTests: XCTestCase {
    private func layer(
        _ name: String, _ kind: LayerSpec.Kind, units: Int? = nil, size: [Int]? = nil, strides: [Int]? = nil,
        dilation: [Int]? = nil, padding: String? = nil, activation: String? = nil
    ) -> LayerSpec {
        LayerSpec(
            name: name, kind: kind, units: units, size: size, strides: strides, dilation: dilation,
            padding: padding, activation: activation)
    }

    private func model(length: Int, scale: Float, _ layers: [LayerSpec]) throws -> Model {
        var n: UInt64 = 0
        return try Model(spec: ModelSpec(name: "m", inputShape: [length, 4], layers: layers)) { _, weight, shape in
            n += 1
            let values = Fixtures.random(shape.reduce(1, *), seed: 300 + n, scale: scale)
            return Tensor(shape: shape, data: weight == "moving_variance" ? values.map { $0 + 1.2 } : values)
        }
    }

    private func sequence(_ length: Int, seed: UInt64) -> String {
        var state = seed
        return String(
            (0..<length).map { _ -> Character in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Array("ACGTACGTN")[Int(state >> 59) % 9]
            })
    }

    /// Scans every position with `update` and compares with brute force; returns the scan.
    @discardableResult
    private func compare(
        _ model: Model, output: Int, update: MutagenesisScan.ConvolutionUpdate, expectFFT: Bool,
        tolerance: Float = 2e-5, file: StaticString = #filePath, line: UInt = #line
    ) throws -> MutagenesisScan {
        let x = Fixtures.oneHot([sequence(model.inputShape[0], seed: 17)], inputShape: model.inputShape)
        let scan = try MutagenesisScan(model: model, outputIndex: output, convolutionUpdate: update)
        XCTAssertEqual(scan.usesFFT, expectFFT, "FFT step chosen", file: file, line: line)
        let positions = Array(0..<model.inputShape[0])
        let fast = scan.scan(x, threads: 2)
        let naive = MutagenesisScan.naive(model: model, x, outputIndex: output, positions: positions, threads: 2)
        XCTAssertEqual(fast.values.count, naive.count, file: file, line: line)
        let worst = zip(fast.values, naive).map { abs($0 - $1) }.max() ?? .infinity
        XCTAssertLessThanOrEqual(worst, tolerance, "largest |fast - naive| \(worst)", file: file, line: line)
        XCTAssertGreaterThan(
            Set(naive.map { ($0 * 1e6).rounded() }).count, positions.count, "substitutions do change the output",
            file: file, line: line)
        return scan
    }

    func testFusionAIShapedFixtureByFFT() throws {
        let model = try ModelFile.load(Fixtures.path("fusionai_small.keras2.h5"))
        try compare(model, output: 1, update: .fft, expectFFT: true)
    }

    /// Two convolutions as in FusionAI, filters not multiples of 8, max pooling over the changed rows.
    func testOddFilterCounts() throws {
        let m = try model(
            length: 150, scale: 0.4,
            [
                layer("c1", .conv1d, units: 13, size: [6], activation: "relu"),
                layer("c2", .conv1d, units: 11, size: [17], activation: "relu"),
                layer("p", .maxPool1d, size: [4]),
                layer("f", .flatten),
                layer("d1", .dense, units: 6, activation: "relu"),
                layer("d2", .dense, units: 2, activation: "softmax"),
            ])
        try compare(m, output: 1, update: .fft, expectFFT: true)
        try compare(m, output: 0, update: .direct, expectFFT: false)
    }

    /// Same padding (rows before the first), a linear activation, then a second FFT layer whose
    /// changes are wider, before average pooling with a stride.
    func testSamePaddingAndStackedLayers() throws {
        let m = try model(
            length: 130, scale: 0.35,
            [
                layer("c1", .conv1d, units: 9, size: [3], activation: "relu"),
                layer("c2", .conv1d, units: 10, size: [9], padding: "same", activation: "tanh"),
                layer("c3", .conv1d, units: 7, size: [20], activation: "linear"),
                layer("a", .activation, activation: "relu"),
                layer("p", .averagePool1d, size: [3], strides: [2]),
                layer("f", .flatten),
                layer("d", .dense, units: 1, activation: "sigmoid"),
            ])
        try compare(m, output: 0, update: .fft, expectFFT: true)
    }

    /// Strided and dilated convolutions keep the direct step even when the FFT is asked for.
    func testStridesAndDilationFallBack() throws {
        let m = try model(
            length: 120, scale: 0.4,
            [
                layer("c1", .conv1d, units: 8, size: [5], dilation: [2], activation: "relu"),
                layer("c2", .conv1d, units: 6, size: [12], strides: [2], activation: "relu"),
                layer("c3", .conv1d, units: 5, size: [4], dilation: [3], activation: "relu"),
                layer("f", .flatten),
                layer("d", .dense, units: 2, activation: "softmax"),
            ])
        try compare(m, output: 1, update: .fft, expectFFT: false)
    }

    /// A long kernel on many channels is where the automatic choice takes the FFT; a short one stays direct.
    func testAutomaticChoice() throws {
        let long = try model(
            length: 140, scale: 0.2,
            [
                layer("c1", .conv1d, units: 32, size: [8], activation: "relu"),
                layer("c2", .conv1d, units: 16, size: [64], activation: "relu"),
                layer("p", .maxPool1d, size: [5]),
                layer("f", .flatten),
                layer("d", .dense, units: 2, activation: "softmax"),
            ])
        let scan = try compare(long, output: 1, update: .automatic, expectFFT: true)
        // The grouping of positions is fixed, so the thread count changes nothing, bit for bit.
        let x = Fixtures.oneHot([sequence(140, seed: 5)], inputShape: long.inputShape)
        XCTAssertEqual(scan.scan(x, threads: 1), scan.scan(x, threads: 3))
        let short = try model(
            length: 60, scale: 0.4,
            [
                layer("c1", .conv1d, units: 4, size: [5], activation: "relu"),
                layer("c2", .conv1d, units: 3, size: [6], activation: "relu"),
                layer("f", .flatten),
                layer("d", .dense, units: 1, activation: "sigmoid"),
            ])
        try compare(short, output: 0, update: .automatic, expectFFT: false)
    }

    /// The engine alone against direct sums: groups larger than its capacity, signals shorter
    /// than its span, sizes odd (direct DFT), even and divisible by 4 (mirrored DFT, the middle bin
    /// its own mirror), the SIMD and the portable kernels.
    func testEngineAgainstDirectSums() throws {
        for (taps, span, size) in [(7, 4, 10), (7, 3, 9), (8, 5, 12), (3, 1, 3)] {
            XCTAssertEqual(FFTDeltaConvolution.fftSize(atLeast: span + taps - 1), size)
            for simd in [false, SIMDKernels.available] {
                let worst = engineError(taps: taps, inputs: 5, outputs: 11, span: span, simd: simd)
                XCTAssertLessThan(worst, 1e-4, "taps \(taps), span \(span), simd \(simd)")
            }
        }
    }

    private func engineError(taps: Int, inputs: Int, outputs: Int, span: Int, simd: Bool) -> Float {
        let kernel = Fixtures.random(taps * inputs * outputs, seed: 1)
        let signals = (0..<8).map { Fixtures.random(span * inputs, seed: 10 + UInt64($0)) }
        let lengths = [4, 1, 3, 4, 2, 4, 4, 1].map { min($0, span) }
        let engine = FFTDeltaConvolution(
            kernel: kernel, taps: taps, inputs: inputs, outputs: outputs, span: span,
            fftSize: FFTDeltaConvolution.fftSize(atLeast: span + taps - 1), capacity: 3, simd: simd)
        var worst: Float = 0
        var seen = 0
        engine.convolve(
            count: signals.count,
            write: { s, target, pitch in
                for r in 0..<lengths[s] { for c in 0..<inputs { target[r * pitch + c] = signals[s][r * inputs + c] } }
            },
            read: { s, sums, pitch in
                seen += 1
                for i in 0..<(span + taps - 1) {
                    for o in 0..<outputs {
                        // Index i sums input rows i - taps + 1 ... i against taps 0 ... taps - 1.
                        var expected: Float = 0
                        for k in 0..<taps {
                            let r = i - taps + 1 + k
                            guard r >= 0, r < lengths[s] else { continue }
                            for c in 0..<inputs {
                                expected += signals[s][r * inputs + c] * kernel[(k * inputs + c) * outputs + o]
                            }
                        }
                        worst = max(worst, abs(sums[o * pitch + i] - expected))
                    }
                }
            })
        return seen == signals.count ? worst : .infinity
    }
}
