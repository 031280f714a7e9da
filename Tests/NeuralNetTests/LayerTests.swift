import XCTest

@testable import NeuralNet

/// Each layer against values computed by hand.
final class LayerTests: XCTestCase {
    private func conv(
        kernel: [Float], shape: [Int], bias: [Float]? = nil, strides: (Int, Int) = (1, 1),
        dilation: (Int, Int) = (1, 1),
        padding: Padding = .valid, activation: ActivationFunction = .linear, oneD: Bool = true, input: [Int]
    ) throws -> Convolution {
        try Convolution(
            name: "c", kernel: Tensor(shape: shape, data: kernel), bias: bias, strides: strides, dilation: dilation,
            padding: padding, activation: activation, oneDimensional: oneD, inputShape: input)
    }

    func testConv1DValidIsCrossCorrelationWithBiasAndActivation() throws {
        // x = [1, 2, 3, 4] (one channel), kernel [1, -1] (2 taps, 1 in, 1 out), bias 0.5:
        // y[t] = x[t] - x[t+1] + 0.5 = -0.5 each; relu -> 0; linear -> -0.5.
        let layer = try conv(kernel: [1, -1], shape: [2, 1, 1], bias: [0.5], input: [4, 1])
        XCTAssertEqual(layer.forward(Tensor(shape: [1, 4, 1], data: [1, 2, 3, 4])).data, [-0.5, -0.5, -0.5])
        let relu = try conv(kernel: [1, -1], shape: [2, 1, 1], bias: [0.5], activation: .relu, input: [4, 1])
        XCTAssertEqual(relu.forward(Tensor(shape: [1, 4, 1], data: [1, 2, 3, 4])).data, [0, 0, 0])
    }

    func testConv1DSameStrideAndDilation() throws {
        // same, k = 3, stride 1: pad 1 each side. x = [1, 2, 3], kernel [1, 10, 100]:
        // y0 = 0*1 + 1*10 + 2*100 = 210; y1 = 1 + 20 + 300 = 321; y2 = 2 + 30 + 0 = 32.
        let same = try conv(kernel: [1, 10, 100], shape: [3, 1, 1], padding: .same, input: [3, 1])
        XCTAssertEqual(same.forward(Tensor(shape: [1, 3, 1], data: [1, 2, 3])).data, [210, 321, 32])
        // valid, stride 2: x = [1..6], kernel [1, 1]: y = [1+2, 3+4, 5+6].
        let strided = try conv(kernel: [1, 1], shape: [2, 1, 1], strides: (2, 1), input: [6, 1])
        XCTAssertEqual(strided.forward(Tensor(shape: [1, 6, 1], data: [1, 2, 3, 4, 5, 6])).data, [3, 7, 11])
        // valid, dilation 2: kernel [1, 1] spans 3: y[t] = x[t] + x[t+2] = [1+3, 2+4, 3+5, 4+6].
        let dilated = try conv(kernel: [1, 1], shape: [2, 1, 1], dilation: (2, 1), input: [6, 1])
        XCTAssertEqual(dilated.forward(Tensor(shape: [1, 6, 1], data: [1, 2, 3, 4, 5, 6])).data, [4, 6, 8, 10])
        // same with stride 2 on 5 positions, k = 2: out = 3, total pad 1, all of it after.
        // y = [x0 + x1, x2 + x3, x4 + 0].
        let sameStrided = try conv(kernel: [1, 1], shape: [2, 1, 1], strides: (2, 1), padding: .same, input: [5, 1])
        XCTAssertEqual(sameStrided.forward(Tensor(shape: [1, 5, 1], data: [1, 2, 3, 4, 5])).data, [3, 7, 5])
    }

    func testConv1DMixesChannels() throws {
        // 2 inputs, 2 outputs, 1 tap: out0 = 1*a + 2*b, out1 = 3*a + 4*b (kernel [1, in, out]).
        let layer = try conv(kernel: [1, 3, 2, 4], shape: [1, 2, 2], input: [2, 2])
        XCTAssertEqual(layer.forward(Tensor(shape: [1, 2, 2], data: [1, 1, 2, 0])).data, [3, 7, 2, 6])
    }

    func testConv2DGeneralPathWithSamePaddingOnWidth() throws {
        // 2x2 input, 2x2 kernel of ones, same padding: each output sums its window, padding after.
        let layer = try conv(
            kernel: [1, 1, 1, 1], shape: [2, 2, 1, 1], padding: .same, oneD: false, input: [2, 2, 1])
        XCTAssertEqual(layer.forward(Tensor(shape: [1, 2, 2, 1], data: [1, 2, 3, 4])).data, [10, 6, 7, 4])
    }

    func testOneHotGatherEqualsDirectConvolution() throws {
        // A one-hot sequence with N rows, odd tap count, stride and dilation: gather == GEMMs.
        let letters: [Int?] = (0..<300).map { $0 % 17 == 0 ? nil : ($0 * 7 + $0 / 3) % 4 }
        var x = [Float](repeating: 0, count: 300 * 4)
        for (i, c) in letters.enumerated() { if let c { x[i * 4 + c] = 1 } }
        for (taps, stride, dilation) in [(20, 1, 1), (9, 1, 1), (5, 2, 1), (4, 1, 3)] {
            let shape = RowConvolutionShape(taps: taps, inputWidth: 4, outputs: 24, stride: stride, dilation: dilation)
            let kernel = Fixtures.random(taps * 4 * 24, seed: UInt64(taps))
            let outLength = shape.outputLength(for: 300)
            var gathered = [Float](repeating: .nan, count: outLength * 24)
            var direct = gathered
            x.withUnsafeBufferPointer { xp in
                OneHotRowConvolution(shape: shape, kernel: kernel).forward(
                    xp.baseAddress!, length: 300, into: &gathered, outputLength: outLength)
                DirectRowConvolution(shape: shape, kernel: kernel).forward(
                    xp.baseAddress!, length: 300, into: &direct, outputLength: outLength)
                XCTAssertTrue(OneHotRowConvolution.isOneHot(xp.baseAddress!, rows: 300))
            }
            let worst = zip(gathered, direct).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThanOrEqual(worst, 1e-5, "taps \(taps) stride \(stride) dilation \(dilation)")
        }
    }

    func testFFTConvolutionAgreesWithDirectWithin1e5OfTheLargestOutput() throws {
        // Lengths below one block, at a block boundary and over many blocks; kernels long and short.
        for (taps, inputs, outputs, length) in [
            (200, 16, 8, 1_500), (200, 8, 4, 300), (33, 12, 6, 4_000), (200, 4, 3, 1_023 + 199),
        ] {
            let shape = RowConvolutionShape(taps: taps, inputWidth: inputs, outputs: outputs, stride: 1, dilation: 1)
            let kernel = Fixtures.random(taps * inputs * outputs, seed: UInt64(taps * 31 + inputs))
            let x = Fixtures.random(length * inputs, seed: UInt64(length))
            let outLength = shape.outputLength(for: length)
            var fft = [Float](repeating: .nan, count: outLength * outputs)
            var direct = fft
            x.withUnsafeBufferPointer { xp in
                FFTRowConvolution(shape: shape, kernel: kernel, slots: 3).forward(
                    xp.baseAddress!, length: length, into: &fft, outputLength: outLength)
                DirectRowConvolution(shape: shape, kernel: kernel).forward(
                    xp.baseAddress!, length: length, into: &direct, outputLength: outLength)
            }
            let scale = direct.map(abs).max() ?? 1
            let worst = zip(fft, direct).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertFalse(fft.contains { $0.isNaN }, "every output written")
            XCTAssertLessThanOrEqual(
                worst / scale, 1e-5, "taps \(taps), \(inputs)->\(outputs), length \(length): \(worst) of \(scale)")
        }
    }

    func testDenseSoftmaxSigmoidAndFlatten() throws {
        // x = [1, 2]; W = [[1, 0, -1], [0, 1, 1]]; b = [0, 0, 1]: z = [1, 2, 2].
        let dense = try Dense(
            name: "d", kernel: Tensor(shape: [2, 3], data: [1, 0, -1, 0, 1, 1]), bias: [0, 0, 1], activation: .linear)
        XCTAssertEqual(dense.forward(Tensor(shape: [1, 2], data: [1, 2])).data, [1, 2, 2])
        let softmax = try Dense(
            name: "s", kernel: Tensor(shape: [2, 3], data: [1, 0, -1, 0, 1, 1]), bias: [0, 0, 1], activation: .softmax)
        let p = softmax.forward(Tensor(shape: [1, 2], data: [1, 2])).data
        let e1 = Float(M_E)
        let e2 = Float(M_E * M_E)
        let sum = e1 + 2 * e2
        XCTAssertEqual(p[0], e1 / sum, accuracy: 1e-6)
        XCTAssertEqual(p[1], e2 / sum, accuracy: 1e-6)
        var t = Tensor(shape: [1, 2], data: [0, 1000])
        ActivationFunction.sigmoid.apply(&t)
        XCTAssertEqual(t.data, [0.5, 1])
        var big = Tensor(shape: [1, 2], data: [1000, 1001])
        ActivationFunction.softmax.apply(&big)
        XCTAssertEqual(big.data[1], 1 / (1 + Float(exp(-1.0))), accuracy: 1e-6, "no overflow on large logits")
        XCTAssertEqual(
            Flatten(name: "f").forward(Tensor(shape: [2, 2, 1, 2], data: Array(0..<8).map(Float.init))).shape, [2, 4])
    }

    func testDropoutTrainsWithOneMaskForwardAndBackward() {
        let dropout = Dropout(name: "d", rate: 0.5)
        let x = Tensor(shape: [2, 50], data: (0..<100).map { Float($0 + 1) })
        XCTAssertEqual(dropout.forward(x, mode: .inference), x, "the identity at inference")
        let training = PassMode.training(seeds: [7, 8])
        let y = dropout.forward(x, mode: training)
        XCTAssertTrue(
            zip(x.data, y.data).allSatisfy { $1 == 0 || $1 == 2 * $0 }, "kept values scaled by 1 / (1 - rate)")
        XCTAssertTrue(y.data.contains(0) && y.data.contains { $0 != 0 }, "some values dropped, some kept")
        // dy = x: the same mask makes dx = y.
        let dx = dropout.backward(input: x, output: y, outputGradient: x, parameterGradients: false, mode: training)
        XCTAssertEqual(dx.input, y)
    }

    func testPoolingBatchNormAndGlobalPooling() throws {
        // MaxPool1D(2) on [[1, -1], [3, 0], [2, 5], [4, 4], [9, 9]]: valid -> 2 rows; same -> 3.
        let x = Tensor(shape: [1, 5, 2], data: [1, -1, 3, 0, 2, 5, 4, 4, 9, 9])
        let valid = Pooling(name: "p", kind: .max, pool: (2, 1), strides: (2, 1), padding: .valid, oneDimensional: true)
        XCTAssertEqual(valid.forward(x).data, [3, 0, 4, 5])
        let same = Pooling(name: "p", kind: .max, pool: (2, 1), strides: (2, 1), padding: .same, oneDimensional: true)
        XCTAssertEqual(same.forward(x).data, [3, 0, 4, 5, 9, 9])
        let average = Pooling(
            name: "a", kind: .average, pool: (2, 1), strides: (1, 1), padding: .valid, oneDimensional: true)
        XCTAssertEqual(average.forward(x).data, [2, -0.5, 2.5, 2.5, 3, 4.5, 6.5, 6.5])
        XCTAssertEqual(GlobalPooling(name: "g", kind: .max).forward(x).data, [9, 9])
        XCTAssertEqual(GlobalPooling(name: "g", kind: .average).forward(x).data, [3.8, 3.4])
        // (x - mean) / sqrt(var + eps) * gamma + beta with mean 1, var 4 - eps, gamma 2, beta 1: x=3 -> 3.
        let bn = try BatchNormalization(
            name: "b", gamma: [2], beta: [1], movingMean: [1], movingVariance: [4 - 0.001], epsilon: 0.001)
        XCTAssertEqual(bn.forward(Tensor(shape: [1, 2, 1], data: [3, 1])).data[0], 3, accuracy: 1e-6)
        XCTAssertEqual(bn.forward(Tensor(shape: [1, 2, 1], data: [3, 1])).data[1], 1, accuracy: 1e-6)
    }
}
