import XCTest

@testable import NeuralNet

/// Every layer's backward pass against central finite differences of a scalar loss
/// `L = sum_i w_i * output_i` (fixed random `w`), for inputs and weights.
final class GradientTests: XCTestCase {
    private func layer(
        _ name: String, _ kind: LayerSpec.Kind, units: Int? = nil, size: [Int]? = nil, strides: [Int]? = nil,
        dilation: [Int]? = nil, padding: String? = nil, activation: String? = nil, epsilon: Float? = nil
    ) -> LayerSpec {
        LayerSpec(
            name: name, kind: kind, units: units, size: size, strides: strides, dilation: dilation, padding: padding,
            activation: activation, epsilon: epsilon)
    }

    /// A model whose weights are all random (BatchNorm statistics too), so no gradient is trivially zero.
    private func model(_ spec: ModelSpec, seed: UInt64) throws -> Model {
        var n: UInt64 = 0
        return try Model(spec: spec) { _, weight, shape in
            n += 1
            let count = shape.reduce(1, *)
            let values = Fixtures.random(count, seed: seed &+ n &* 977, scale: weight == "moving_variance" ? 0.5 : 0.6)
            return Tensor(shape: shape, data: weight == "moving_variance" ? values.map { $0 + 1 } : values)
        }
    }

    /// Checks dL/dx at every input value (up to `maxChecks`) and dL/dw at some weights of every layer.
    /// Agreement within `3e-4 + 3e-3 * |numeric|`: float32 central differences with eps = 0.01 are
    /// good to about 1e-4 here, so a 1% error in any gradient above ~0.05 is caught.
    private func check(_ model: Model, batch: Int = 2, file: StaticString = #filePath, line: UInt = #line) {
        let x = Tensor(
            shape: [batch] + model.inputShape, data: Fixtures.random(batch * model.inputShape.reduce(1, *), seed: 11))
        let w = Fixtures.random(batch * model.outputShape.reduce(1, *), seed: 12)
        func loss(_ m: Model, _ input: Tensor) -> Double {
            zip(m.forward(input).data, w).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        let gradients = model.gradients(x, parameterGradients: true) { y in Tensor(shape: y.shape, data: w) }
        let (dx, dw) = (gradients.input, gradients.parameters)
        let eps: Float = 1e-2
        // Central differences at eps and eps / 2 disagree where a max or ReLU switches inside the
        // step: such points have no derivative to compare and are skipped (a few at most).
        func numeric(_ f: (Float) -> Double) -> Float? {
            let wide = Float((f(eps) - f(-eps)) / Double(2 * eps))
            let narrow = Float((f(eps / 2) - f(-eps / 2)) / Double(eps))
            return abs(wide - narrow) <= 3e-4 + 3e-3 * abs(wide) ? wide : nil
        }
        var checked = 0
        var skipped = 0
        for i in stride(from: 0, to: x.count, by: max(1, x.count / 60)) {
            guard
                let n = numeric({ d in
                    var p = x
                    p.data[i] += d
                    return loss(model, p)
                })
            else {
                skipped += 1
                continue
            }
            checked += 1
            XCTAssertLessThanOrEqual(
                abs(n - dx.data[i]), 3e-4 + 3e-3 * abs(n), "dL/dx[\(i)]: analytic \(dx.data[i]), numeric \(n)",
                file: file, line: line)
        }
        XCTAssertLessThanOrEqual(skipped * 10, checked, "too many non-differentiable points", file: file, line: line)
        for (key, gradient) in dw.sorted(by: { $0.key < $1.key })
        where !key.hasSuffix("moving_mean") && !key.hasSuffix("moving_variance") {
            guard let weight = model.weights[key] else { return XCTFail("no weight \(key)", file: file, line: line) }
            for i in stride(from: 0, to: weight.count, by: max(1, weight.count / 12)) {
                let n = numeric { d in
                    var weights = model.weights
                    weights[key]?.data[i] += d
                    guard let shifted = try? Model(spec: model.spec, weights: weights) else { return .nan }
                    return loss(shifted, x)
                }
                guard let n else { continue }
                XCTAssertLessThanOrEqual(
                    abs(n - gradient.data[i]), 3e-4 + 3e-3 * abs(n),
                    "dL/d\(key)[\(i)]: analytic \(gradient.data[i]), numeric \(n)", file: file, line: line)
            }
        }
    }

    func testConv1DValidSameStridedDilatedWithBatchNormPoolingAndDense() throws {
        let spec = ModelSpec(
            name: "m", inputShape: [40, 3],
            layers: [
                layer("c1", .conv1d, units: 5, size: [5], padding: "valid", activation: "tanh"),
                layer("bn", .batchNormalization, epsilon: 0.001),
                layer("p1", .averagePool1d, size: [2], strides: [2], padding: "valid"),
                layer("c2", .conv1d, units: 4, size: [3], strides: [2], padding: "same", activation: "sigmoid"),
                layer("c3", .conv1d, units: 3, size: [2], dilation: [2], padding: "valid", activation: "linear"),
                layer("f", .flatten),
                layer("d1", .dense, units: 6, activation: "tanh"),
                layer("drop", .dropout),
                layer("d2", .dense, units: 3, activation: "softmax"),
            ])
        check(try model(spec, seed: 1))
    }

    func testConv2DGeneralPathAlone() throws {
        let spec = ModelSpec(
            name: "m", inputShape: [9, 4, 2],
            layers: [
                layer("c", .conv2d, units: 3, size: [3, 2], strides: [2, 1], padding: "same", activation: "tanh"),
                layer("f", .flatten),
                layer("d", .dense, units: 2, activation: "linear"),
            ])
        check(try model(spec, seed: 2))
    }

    func testMaxPooling2DAlone() throws {
        let spec = ModelSpec(
            name: "m", inputShape: [6, 4, 3],
            layers: [
                layer("p", .maxPool2d, size: [2, 2], strides: [1, 1], padding: "valid"),
                layer("f", .flatten),
                layer("d", .dense, units: 2, activation: "linear"),
            ])
        check(try model(spec, seed: 2))
    }

    func testConv2DGeneralPathAveragePoolingAndGlobalPooling() throws {
        let spec = ModelSpec(
            name: "m", inputShape: [9, 4, 2],
            layers: [
                // Average pooling here: a max over conv outputs has near-ties where it switches inside a
                // finite-difference step (max pooling is checked alone, on well-separated inputs).
                layer("c", .conv2d, units: 3, size: [3, 2], strides: [2, 1], padding: "same", activation: "tanh"),
                layer("p", .averagePool2d, size: [2, 2], strides: [1, 1], padding: "same"),
                layer("a", .activation, activation: "sigmoid"),
                layer("g", .globalAveragePool),
                layer("d", .dense, units: 2, activation: "linear"),
            ])
        check(try model(spec, seed: 2))
        let maxSpec = ModelSpec(
            name: "m", inputShape: [12, 3],
            layers: [
                layer("c", .conv1d, units: 4, size: [3], padding: "valid", activation: "linear"),
                layer("g", .globalMaxPool),
                layer("d", .dense, units: 2, activation: "softmax"),
            ])
        check(try model(maxSpec, seed: 3))
    }

    func testLongKernelsTakeTheFFTBackwardAndAgreeWithGEMMs() throws {
        // 40 taps: FFT forward and FFT dL/dx; the same layer on per-tap GEMMs must agree.
        let kernel = Tensor(shape: [40, 6, 5], data: Fixtures.random(40 * 6 * 5, seed: 4))
        let x = Tensor(shape: [2, 300, 6], data: Fixtures.random(2 * 300 * 6, seed: 5))
        let dy = Tensor(shape: [2, 261, 5], data: Fixtures.random(2 * 261 * 5, seed: 6))
        var results: [LayerGradients] = []
        for algorithm in [Convolution.Algorithm.fft, .direct] {
            let layer = try Convolution(
                name: "c", kernel: kernel, bias: [0.1, 0.2, 0.3, 0.4, 0.5], strides: (1, 1), dilation: (1, 1),
                padding: .valid, activation: .linear, oneDimensional: true, inputShape: [300, 6], algorithm: algorithm)
            results.append(
                layer.backward(input: x, output: layer.forward(x), outputGradient: dy, parameterGradients: true))
        }
        let scale = results[1].input.data.map(abs).max() ?? 1
        let worst = zip(results[0].input.data, results[1].input.data).map { abs($0 - $1) }.max() ?? .infinity
        XCTAssertLessThanOrEqual(worst / scale, 1e-5)
        // The kernel gradient is an FFT correlation on one side and GEMMs on the other.
        let fftKernel = try XCTUnwrap(results[0].parameters["kernel"])
        let gemmKernel = try XCTUnwrap(results[1].parameters["kernel"])
        let kernelScale = gemmKernel.data.map(abs).max() ?? 1
        let kernelWorst = zip(fftKernel.data, gemmKernel.data).map { abs($0 - $1) }.max() ?? .infinity
        XCTAssertLessThanOrEqual(kernelWorst / kernelScale, 1e-5, "kernel gradient: \(kernelWorst) of \(kernelScale)")
        XCTAssertEqual(results[0].parameters["bias"], results[1].parameters["bias"])
        // And through a model, against finite differences.
        let spec = ModelSpec(
            name: "m", inputShape: [80, 2],
            layers: [
                layer("long", .conv1d, units: 3, size: [40], padding: "same", activation: "tanh"),
                layer("f", .flatten),
                layer("d", .dense, units: 2, activation: "linear"),
            ])
        let m = try model(spec, seed: 7)
        XCTAssertTrue(
            (m.layers[0] as? Convolution).map {
                Convolution.prefersFFT(taps: $0.kernel.shape[0], inputs: 2, outputs: 3)
            } ?? false)
        check(m)
    }

    func testReLUGradientIsTheMaskOfPositiveOutputs() {
        var g = Tensor(shape: [1, 4], data: [1, 2, 3, 4])
        g = ActivationFunction.relu.backward(output: Tensor(shape: [1, 4], data: [0, 0.5, 0, 2]), gradient: g)
        XCTAssertEqual(g.data, [0, 2, 0, 4])
    }
}
