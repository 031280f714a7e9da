import CKernels
import XCTest

@testable import NeuralNet

/// The engines' fast paths against their plain counterparts: the AVX2 kernels against OpenBLAS and
/// Swift, the fused one-hot -> FFT forward and input gradient against the layers run one by one.
final class ConvolutionEngineTests: XCTestCase {
    /// A one-hot sequence of `length` rows with an N row every 17.
    private func oneHotRows(_ length: Int) -> [Float] {
        var x = [Float](repeating: 0, count: length * 4)
        for i in 0..<length where i % 17 != 0 { x[i * 4 + (i * 7 + i / 3) % 4] = 1 }
        return x
    }

    func testFFTComplexProductKernelAgreesWithCgemmAndDirect() throws {
        try XCTSkipUnless(SIMDKernels.available, "this CPU has no AVX2 + FMA: only the cgemm path runs")
        // Outputs below, at and across the kernel's groups of 8 and 16; blocks in chunks of 3 (odd rows).
        for (taps, inputs, outputs, length) in [(200, 16, 13, 1_500), (40, 7, 32, 2_000), (33, 12, 20, 900)] {
            let shape = RowConvolutionShape(taps: taps, inputWidth: inputs, outputs: outputs, stride: 1, dilation: 1)
            let kernel = Fixtures.random(taps * inputs * outputs, seed: UInt64(taps + outputs))
            let x = Fixtures.random(length * inputs, seed: UInt64(length))
            let outLength = shape.outputLength(for: length)
            var simd = [Float](repeating: .nan, count: outLength * outputs)
            var cgemm = simd
            var direct = simd
            x.withUnsafeBufferPointer { xp in
                FFTRowConvolution(shape: shape, kernel: kernel, slots: 3, simd: true).forward(
                    xp.baseAddress!, length: length, into: &simd, outputLength: outLength)
                FFTRowConvolution(shape: shape, kernel: kernel, slots: 3, simd: false).forward(
                    xp.baseAddress!, length: length, into: &cgemm, outputLength: outLength)
                DirectRowConvolution(shape: shape, kernel: kernel).forward(
                    xp.baseAddress!, length: length, into: &direct, outputLength: outLength)
            }
            let scale = direct.map(abs).max() ?? 1
            XCTAssertFalse(simd.contains { $0.isNaN }, "every output written")
            let vsCgemm = zip(simd, cgemm).map { abs($0 - $1) }.max() ?? .infinity
            let vsDirect = zip(simd, direct).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThanOrEqual(vsCgemm / scale, 1e-6, "\(inputs)->\(outputs): \(vsCgemm) of \(scale)")
            XCTAssertLessThanOrEqual(vsDirect / scale, 1e-5, "\(inputs)->\(outputs): \(vsDirect) of \(scale)")
        }
    }

    func testFFTKernelGradientKernelAgreesWithCgemmAndDirect() throws {
        try XCTSkipUnless(SIMDKernels.available, "this CPU has no AVX2 + FMA: only the cgemm path runs")
        // Inputs and outputs off the kernel's groups of 4 inputs and 8 outputs; two samples summed.
        for (taps, inputs, outputs, length) in [(200, 18, 13, 1_500), (40, 7, 32, 2_000)] {
            let shape = RowConvolutionShape(taps: taps, inputWidth: inputs, outputs: outputs, stride: 1, dilation: 1)
            let kernel = Fixtures.random(taps * inputs * outputs, seed: 5)
            let outLength = shape.outputLength(for: length)
            let xs = [Fixtures.random(length * inputs, seed: 6), Fixtures.random(length * inputs, seed: 7)]
            let dzs = [Fixtures.random(outLength * outputs, seed: 8), Fixtures.random(outLength * outputs, seed: 9)]
            var gradients: [[Float]] = []
            for engine in [
                FFTRowConvolution(shape: shape, kernel: kernel, slots: 3, simd: true),
                FFTRowConvolution(shape: shape, kernel: kernel, slots: 3, simd: false),
            ] as [any DifferentiableRowEngine] + [DirectRowConvolution(shape: shape, kernel: kernel)] {
                var pass = engine.backward(length: length, outputLength: outLength, kernelGradient: true)
                for (x, dz) in zip(xs, dzs) { pass.addKernelGradient(x, dz: dz) }
                gradients.append(pass.kernelGradient())
            }
            let scale = gradients[2].map(abs).max() ?? 1
            let vsCgemm = zip(gradients[0], gradients[1]).map { abs($0 - $1) }.max() ?? .infinity
            let vsDirect = zip(gradients[0], gradients[2]).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThanOrEqual(vsCgemm / scale, 1e-6, "\(inputs)->\(outputs): \(vsCgemm) of \(scale)")
            XCTAssertLessThanOrEqual(vsDirect / scale, 1e-5, "\(inputs)->\(outputs): \(vsDirect) of \(scale)")
        }
    }

    func testOneHotRowsChannelMajorEqualTheChannelsLastForwardBitForBit() {
        // 24 outputs take the AVX2 kernel (where the CPU has it), 20 the Swift loop; ranges start
        // and end off the kernel's tiles of 8 positions.
        let length = 700
        let x = oneHotRows(length)
        for (taps, outputs, stride, dilation, relu) in [
            (20, 24, 1, 1, true), (9, 20, 1, 1, false), (5, 24, 2, 1, true), (4, 24, 1, 3, false),
        ] {
            let shape = RowConvolutionShape(
                taps: taps, inputWidth: 4, outputs: outputs, stride: stride, dilation: dilation)
            let engine = OneHotRowConvolution(shape: shape, kernel: Fixtures.random(taps * 4 * outputs, seed: 9))
            let epilogue = RowEpilogue(bias: Fixtures.random(outputs, seed: 3), relu: relu)
            let outLength = shape.outputLength(for: length)
            var rowsLast = [Float](repeating: .nan, count: outLength * outputs)
            let pitch = outLength + 5
            var channels = [Float](repeating: .nan, count: outputs * pitch)
            x.withUnsafeBufferPointer { xp in
                engine.forward(
                    xp.baseAddress!, length: length, into: &rowsLast, outputLength: outLength, epilogue: epilogue)
                let rows = engine.rows(of: xp.baseAddress!, length: length, epilogue: epilogue)
                channels.withUnsafeMutableBufferPointer { c in
                    rows.write(rows: 0..<3, into: c.baseAddress!, pitch: pitch)
                    rows.write(rows: 3..<(outLength - 11), into: c.baseAddress! + 3, pitch: pitch)
                    rows.write(rows: (outLength - 11)..<outLength, into: c.baseAddress! + outLength - 11, pitch: pitch)
                }
            }
            var mismatches = 0
            for t in 0..<outLength {
                for o in 0..<outputs where rowsLast[t * outputs + o].bitPattern != channels[o * pitch + t].bitPattern {
                    mismatches += 1
                }
            }
            XCTAssertEqual(mismatches, 0, "taps \(taps), \(outputs) outputs, stride \(stride), dilation \(dilation)")
            XCTAssertTrue(rowsLast.contains { $0 != 0 } && !rowsLast.contains { $0.isNaN })
        }
    }

    /// One-hot convolution -> FFT convolution -> pooling -> dense, weights and biases random.
    private func model(firstFilters: Int, activation: String) throws -> Model {
        let spec = ModelSpec(
            name: "fused", inputShape: [600, 4, 1],
            layers: [
                LayerSpec(name: "c1", kind: .conv2d, units: firstFilters, size: [20, 4], activation: activation),
                LayerSpec(name: "c2", kind: .conv2d, units: 5, size: [40, 1], activation: "relu"),
                LayerSpec(name: "pool", kind: .maxPool2d, size: [4, 1], strides: [4, 1]),
                LayerSpec(name: "flat", kind: .flatten),
                LayerSpec(name: "out", kind: .dense, units: 2, activation: "softmax"),
            ])
        var seed: UInt64 = 0
        return try Model(spec: spec) { _, _, shape in
            seed += 1
            return Tensor(shape: shape, data: Fixtures.random(shape.reduce(1, *), seed: seed, scale: 0.2))
        }
    }

    /// A layer whose FFT spectra would take tens of GB (a model file may declare 30,000 filters)
    /// runs on the direct engine instead of failing to allocate; FusionAI's layers stay on FFT.
    func testLayersTooLargeForTheFFTEngineRunDirect() throws {
        let huge = RowConvolutionShape(taps: 200, inputWidth: 2, outputs: 30_000, stride: 1, dilation: 1)
        XCTAssertGreaterThan(FFTRowConvolution.estimatedBytes(huge), FFTRowConvolution.largestEngine)
        let fusionAI = RowConvolutionShape(taps: 200, inputWidth: 256, outputs: 256, stride: 1, dilation: 1)
        XCTAssertLessThan(FFTRowConvolution.estimatedBytes(fusionAI), FFTRowConvolution.largestEngine)
        let overflow = RowConvolutionShape(taps: 200, inputWidth: 1 << 40, outputs: 1 << 40, stride: 1, dilation: 1)
        XCTAssertEqual(FFTRowConvolution.estimatedBytes(overflow), Int.max)
        let layer = try Convolution(
            name: "wide",
            kernel: Tensor(shape: [200, 1, 2, 30_000], data: [Float](repeating: 0.01, count: 12_000_000)),
            bias: nil, strides: (1, 1), dilation: (1, 1), padding: .valid, activation: .linear, oneDimensional: false,
            inputShape: [300, 1, 2], algorithm: .fft)
        XCTAssertTrue(layer.engine is DirectRowConvolution)
    }

    func testFusedOneHotFFTForwardEqualsTheLayersOneByOne() throws {
        for (filters, activation) in [(16, "relu"), (12, "linear")] {
            let model = try model(firstFilters: filters, activation: activation)
            var input = oneHotRows(600) + oneHotRows(600).reversed()
            let x = Tensor(shape: [2, 600, 4, 1], data: input)
            let layered = model.layers.reduce(x) { $1.forward($0) }
            let first = try XCTUnwrap(model.layers[0] as? Convolution)
            let second = try XCTUnwrap(model.layers[1] as? Convolution)
            XCTAssertNotNil(ConvolutionPair(first: first, second: second, input: x), "the pair runs fused")
            XCTAssertEqual(model.forward(x).data.map(\.bitPattern), layered.data.map(\.bitPattern), "\(filters)")
            // A soft (not one-hot) sample: the layers run one by one, with the same result.
            input[8] = 0.5
            let soft = Tensor(shape: [2, 600, 4, 1], data: input)
            XCTAssertNil(ConvolutionPair(first: first, second: second, input: soft))
            XCTAssertEqual(
                model.forward(soft).data.map(\.bitPattern),
                model.layers.reduce(soft) { $1.forward($0) }.data.map(\.bitPattern))
        }
    }

    func testFusedInputGradientEqualsTheLayersOneByOne() throws {
        // 581 rows of the first layer's output: three blocks of the transposed FFT engine (217 rows each).
        for (filters, activation) in [(16, "relu"), (12, "linear")] {
            let model = try model(firstFilters: filters, activation: activation)
            let x = Tensor(shape: [2, 600, 4, 1], data: oneHotRows(600) + oneHotRows(600).reversed())
            let first = try XCTUnwrap(model.layers[0] as? Convolution)
            let second = try XCTUnwrap(model.layers[1] as? Convolution)
            XCTAssertEqual(ConvolutionPair(first: first, second: second, input: x)?.fusesInputGradient, true)
            let seed: (Tensor) -> Tensor = { y in
                Tensor(shape: y.shape, data: (0..<y.count).map { $0 % 2 == 1 ? 1 : 0 })
            }
            // Parameter gradients keep the layers one by one.
            let fused = model.gradients(x, loss: seed)
            let layered = model.gradients(x, parameterGradients: true, loss: seed)
            XCTAssertEqual(fused.output.data, layered.output.data)
            let scale = layered.input.data.map(abs).max() ?? 0
            XCTAssertGreaterThan(scale, 0)
            let worst = zip(fused.input.data, layered.input.data).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThan(worst, 1e-5 * scale, "\(filters) filters, \(activation)")
            // At every row, N rows and the first and last included.
            XCTAssertEqual(fused.input.shape, x.shape)
            XCTAssertNotEqual(fused.input.data[0..<4].map(abs).max(), 0)
            XCTAssertNotEqual(fused.input.data[(600 * 4 - 4)...].map(abs).max(), 0)
        }
    }

    func testFusedWeightGradientsEqualTheLayersOneByOne() throws {
        for (filters, activation) in [(16, "relu"), (12, "linear")] {
            let model = try model(firstFilters: filters, activation: activation)
            let x = Tensor(shape: [2, 600, 4, 1], data: oneHotRows(600) + oneHotRows(600).reversed())
            let seed: (Tensor) -> Tensor = { y in Tensor(shape: y.shape, data: Fixtures.random(y.count, seed: 5)) }
            // Without dL/dx the pair at the input runs fused; with it, the layers one by one.
            let fused = model.gradients(x, parameterGradients: true, inputGradient: false, loss: seed)
            let layered = model.gradients(x, parameterGradients: true, loss: seed)
            XCTAssertEqual(fused.input.count, 0)
            XCTAssertEqual(fused.output.data, layered.output.data)
            XCTAssertEqual(Set(fused.parameters.keys), Set(layered.parameters.keys))
            XCTAssertEqual(fused.parameters.count, 6, "kernels and biases of c1, c2 and out")
            for (key, expected) in layered.parameters {
                let got = try XCTUnwrap(fused.parameters[key])
                XCTAssertEqual(got.shape, expected.shape, key)
                let scale = expected.data.map(abs).max() ?? 0
                XCTAssertGreaterThan(scale, 0, key)
                let worst = zip(got.data, expected.data).map { abs($0 - $1) }.max() ?? .infinity
                XCTAssertLessThan(worst, 1e-5 * scale, "\(key), \(filters) filters, \(activation)")
            }
        }
    }

    func testNarrowCorrelationKernelAgreesWithDirectSums() {
        // Positions across the kernel's 16- and 8-wide tiles and its scalar tail.
        for (channels, taps, positions) in [(256, 20, 845), (3, 5, 37), (16, 1, 8), (9, 20, 7)] {
            let pitch = positions + taps + 3
            let x = Fixtures.random(channels * pitch, seed: UInt64(channels + taps))
            let w = Fixtures.random(channels * taps * 4, seed: UInt64(positions))
            var expected = [Double](repeating: 0, count: 4 * positions)
            for o in 0..<4 {
                for q in 0..<positions {
                    for c in 0..<channels {
                        for j in 0..<taps {
                            expected[o * positions + q] +=
                                Double(x[c * pitch + q + j]) * Double(w[(c * taps + j) * 4 + o])
                        }
                    }
                }
            }
            let bound = 1e-6 * Double(channels * taps) + 1e-6
            var portable = [Float](repeating: 1, count: 4 * positions)
            fusionai_narrow_correlation_add_portable(x, pitch, channels, positions, w, taps, &portable, positions)
            var worst = zip(portable, expected).map { abs(Double($0) - 1 - $1) }.max() ?? .infinity
            XCTAssertLessThan(worst, bound, "portable, \(channels) channels, \(taps) taps, \(positions) positions")
            guard SIMDKernels.available else { continue }
            var simd = [Float](repeating: 1, count: 4 * positions)
            fusionai_narrow_correlation_add(x, pitch, channels, positions, w, taps, &simd, positions)
            worst = zip(simd, expected).map { abs(Double($0) - 1 - $1) }.max() ?? .infinity
            XCTAssertLessThan(worst, bound, "AVX2, \(channels) channels, \(taps) taps, \(positions) positions")
        }
    }

    func testOneHotKernelGradientEqualsDirectSums() throws {
        // The FFT engine's shapes (20 and 19 taps), a strided and a dilated direct one, and a Conv1D with
        // "same" padding (a Conv2D's would pad across the bases too: the general engine).
        let shapes: [(taps: Int, filters: Int, stride: Int, dilation: Int, padding: String)] = [
            (20, 16, 1, 1, "valid"), (19, 8, 1, 1, "valid"), (5, 12, 2, 1, "valid"), (4, 8, 1, 3, "same"),
        ]
        for shape in shapes {
            let oneDimensional = shape.padding == "same"
            let spec = ModelSpec(
                name: "one-hot", inputShape: oneDimensional ? [300, 4] : [300, 4, 1],
                layers: [
                    LayerSpec(
                        name: "c", kind: oneDimensional ? .conv1d : .conv2d, units: shape.filters,
                        size: oneDimensional ? [shape.taps] : [shape.taps, 4],
                        strides: oneDimensional ? [shape.stride] : [shape.stride, 1],
                        dilation: oneDimensional ? [shape.dilation] : [shape.dilation, 1], padding: shape.padding,
                        activation: "relu")
                ])
            var seed: UInt64 = 40
            let model = try Model(spec: spec) { _, _, dims in
                seed += 1
                return Tensor(shape: dims, data: Fixtures.random(dims.reduce(1, *), seed: seed, scale: 0.3))
            }
            let layer = try XCTUnwrap(model.layers[0] as? Convolution)
            let geometry = try XCTUnwrap(layer.rowGeometry)
            let x = Tensor(
                shape: [2] + model.inputShape, data: oneHotRows(300) + oneHotRows(300).reversed())
            XCTAssertTrue(layer.takesOneHotGather, "\(shape)")
            let y = model.forward(x)
            let w = Fixtures.random(y.count, seed: 7)
            let gradients = model.gradients(x, parameterGradients: true) { _ in Tensor(shape: y.shape, data: w) }
            let alone = model.gradients(x, parameterGradients: true, inputGradient: false) { _ in
                Tensor(shape: y.shape, data: w)
            }
            XCTAssertEqual(alone.input.count, 0, "no dL/dx asked for")
            XCTAssertEqual(alone.parameters["c/kernel"]?.data, gradients.parameters["c/kernel"]?.data)
            // dW[k, b, o] = Σ_samples Σ_t x[t·stride + k·dilation - top, b] · w[t, o] · [y[t, o] > 0]
            let (f, rows) = (shape.filters, geometry.outputRows)
            var expected = [Double](repeating: 0, count: shape.taps * 4 * f)
            for s in 0..<2 {
                for t in 0..<rows {
                    for k in 0..<shape.taps {
                        let r = t * shape.stride + k * shape.dilation - geometry.top
                        guard (0..<300).contains(r) else { continue }
                        for b in 0..<4 where x.data[(s * 300 + r) * 4 + b] == 1 {
                            for o in 0..<f where y.data[(s * rows + t) * f + o] > 0 {
                                expected[(k * 4 + b) * f + o] += Double(w[(s * rows + t) * f + o])
                            }
                        }
                    }
                }
            }
            let kernel = try XCTUnwrap(gradients.parameters["c/kernel"]).data
            let scale = expected.map(abs).max() ?? 0
            XCTAssertGreaterThan(scale, 0)
            let worst = zip(kernel, expected).map { abs(Double($0) - $1) }.max() ?? .infinity
            XCTAssertLessThan(worst, 1e-5 * scale, "\(shape)")
        }
    }
}
