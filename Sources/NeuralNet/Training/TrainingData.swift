/// Labelled samples a trainer draws batches from, by index (so they can stay on disk).
public protocol TrainingData {
    /// Number of samples.
    var count: Int { get }
    /// The samples at `indices`, in that order: inputs `[indices.count] + inputShape` and class labels.
    func batch(_ indices: [Int]) throws -> TrainingBatch
}

/// Samples drawn from ``TrainingData``: inputs `[samples] + inputShape` and one class label each.
public struct TrainingBatch: Sendable {
    public let x: Tensor
    public let labels: [Int]

    public init(x: Tensor, labels: [Int]) {
        precondition(x.batch == labels.count, "one label per sample")
        self.x = x
        self.labels = labels
    }
}

/// Samples held in memory.
public struct InMemoryData: TrainingData {
    public let inputs: Tensor
    public let labels: [Int]

    public init(inputs: Tensor, labels: [Int]) {
        precondition(inputs.batch == labels.count, "one label per sample")
        self.inputs = inputs
        self.labels = labels
    }

    public var count: Int { labels.count }

    public func batch(_ indices: [Int]) throws -> TrainingBatch {
        let per = inputs.sampleSize
        var data = [Float]()
        data.reserveCapacity(indices.count * per)
        for i in indices { data += inputs.data[(i * per)..<((i + 1) * per)] }
        return TrainingBatch(
            x: Tensor(shape: [indices.count] + inputs.sampleShape, data: data), labels: indices.map { labels[$0] })
    }
}
