/// A dense float32 array with an explicit shape, row-major (the last dimension varies fastest),
/// batch first: `[batch, d1, ..., channels]` in Keras's channels-last order.
public struct Tensor: Sendable, Equatable {
    public private(set) var shape: [Int]
    public var data: [Float]

    /// - Precondition: `data.count` is the product of `shape`.
    public init(shape: [Int], data: [Float]) {
        precondition(
            shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == data.count,
            "tensor shape \(shape) does not hold \(data.count) values")
        self.shape = shape
        self.data = data
    }

    public init(zeros shape: [Int]) {
        self.init(shape: shape, data: [Float](repeating: 0, count: shape.reduce(1, *)))
    }

    /// Values in all.
    public var count: Int { data.count }
    /// The first dimension.
    public var batch: Int { shape[0] }
    /// The shape of one sample (all but the batch dimension).
    public var sampleShape: [Int] { Array(shape.dropFirst()) }
    /// Values per sample.
    public var sampleSize: Int { shape.dropFirst().reduce(1, *) }

    /// The same values under another shape of the same size.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, data: data)
    }
}
