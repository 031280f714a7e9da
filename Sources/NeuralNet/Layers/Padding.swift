/// Keras's `padding` for convolutions and pooling along one dimension.
public enum Padding: String, Sendable {
    case valid, same

    /// Output length and zeros added before the first input position, as TensorFlow computes them:
    /// `same` pads `max((out-1)*stride + span - length, 0)` in all, the smaller half first.
    /// - Returns: nil when the window does not fit (`valid` with a window longer than the input).
    func geometry(length: Int, window: Int, stride: Int, dilation: Int = 1) -> Geometry? {
        let span = (window - 1) * dilation + 1
        switch self {
        case .valid:
            guard length >= span else { return nil }
            return Geometry(output: (length - span) / stride + 1, before: 0)
        case .same:
            let output = (length + stride - 1) / stride
            let total = max((output - 1) * stride + span - length, 0)
            return Geometry(output: output, before: total / 2)
        }
    }

    /// Output length along one dimension, and zeros padded before its first input position.
    struct Geometry {
        let output: Int
        let before: Int
    }
}
