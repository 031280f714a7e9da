/// A convolution's sizes for one sample: input `[h, w, c]`, output `[oh, ow, filters]`, and the
/// padded input `[paddedH, paddedW, c]` holding the input at row `top`, column `left`.
struct ConvolutionGeometry: Sendable {
    let h: Int, w: Int, c: Int
    let oh: Int, ow: Int
    let top: Int, left: Int
    let paddedH: Int, paddedW: Int

    /// - Throws: ``ModelError`` when the kernel is not `[kh, kw, c, filters]`, strides or dilation
    ///   are not positive, the input is not a `Conv1D`/`Conv2D` sample with the kernel's channels,
    ///   or the kernel does not fit it.
    init(
        name: String, input: [Int], oneDimensional: Bool, kernel: [Int], strides: (Int, Int),
        dilation: (Int, Int), padding: Padding
    ) throws {
        guard kernel.count == 4 else {
            throw ModelError(.shapeMismatch, "\(name): convolution kernel must be 4-D, got \(kernel)")
        }
        guard strides.0 >= 1, strides.1 >= 1, dilation.0 >= 1, dilation.1 >= 1 else {
            throw ModelError(.invalidArgument, "\(name): strides and dilation must be positive")
        }
        switch (oneDimensional, input.count) {
        case (true, 2): (h, w, c) = (input[0], 1, input[1])
        case (false, 3): (h, w, c) = (input[0], input[1], input[2])
        default:
            let expected =
                oneDimensional ? "Conv1D expects [length, channels]" : "Conv2D expects [height, width, channels]"
            throw ModelError(.shapeMismatch, "\(name): \(expected) samples, got \(input)")
        }
        let (kh, kw) = (kernel[0], kernel[1])
        guard c == kernel[2] else {
            throw ModelError(.shapeMismatch, "\(name): kernel expects \(kernel[2]) input channels, input has \(c)")
        }
        guard let gh = padding.geometry(length: h, window: kh, stride: strides.0, dilation: dilation.0),
            let gw = padding.geometry(length: w, window: kw, stride: strides.1, dilation: dilation.1)
        else { throw ModelError(.shapeMismatch, "\(name): kernel \(kh)x\(kw) does not fit the input \(h)x\(w)") }
        (oh, ow, top, left) = (gh.output, gw.output, gh.before, gw.before)
        let span = { (k: Int, d: Int) in (k - 1) * d + 1 }
        paddedH = max(h + top, (oh - 1) * strides.0 + span(kh, dilation.0))
        paddedW = max(w + left, (ow - 1) * strides.1 + span(kw, dilation.1))
        // The padded sample is scratch space allocated per thread: bounded like an activation.
        guard let padded = ModelLimits.count([paddedH, paddedW, c]), padded <= ModelLimits.activations else {
            throw ModelError(
                .tooLarge,
                "\(name): kernel \(kh)x\(kw) (dilation \(dilation)) pads the input \(h)x\(w) past "
                    + "\(ModelLimits.activations) values (fusionai's limit)")
        }
    }

    var needsPadding: Bool { paddedH != h || paddedW != w }
}

/// Scratch space for one sample in the padded layout `[paddedH, paddedW, C]`: zeros around the
/// input rows, reused sample after sample (only the input rows are rewritten, so the zeros are
/// written once).
final class PaddedSample {
    let pointer: UnsafeMutablePointer<Float>
    private let g: ConvolutionGeometry
    private var count: Int { g.paddedH * g.paddedW * g.c }

    init(_ geometry: ConvolutionGeometry) {
        g = geometry
        pointer = .allocate(capacity: geometry.paddedH * geometry.paddedW * geometry.c)
        pointer.initialize(repeating: 0, count: geometry.paddedH * geometry.paddedW * geometry.c)
    }

    deinit { pointer.deallocate() }

    /// Where input row `h` starts in the padded layout.
    private func paddedRow(_ h: Int) -> Int { ((h + g.top) * g.paddedW + g.left) * g.c }

    /// Copies a sample `[h, w, c]` into the padded layout, a whole row at a time, and returns it.
    func load(_ sample: UnsafePointer<Float>) -> UnsafePointer<Float> {
        let row = g.w * g.c
        for h in 0..<g.h { (pointer + paddedRow(h)).update(from: sample + h * row, count: row) }
        return UnsafePointer(pointer)
    }

    /// Copies the input rows back out, into `values[offset...]` laid out `[h, w, c]`.
    func unload(into values: inout [Float], at offset: Int) {
        let row = g.w * g.c
        values.withUnsafeMutableBufferPointer { v in
            for h in 0..<g.h { (v.baseAddress! + offset + h * row).update(from: pointer + paddedRow(h), count: row) }
        }
    }

    func clear() { pointer.update(repeating: 0, count: count) }
}
