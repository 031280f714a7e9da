import Dispatch

/// A feed-forward network: layers applied in order, each checked against the shape it receives.
public final class Model: Sendable {
    public let spec: ModelSpec
    public let layers: [any Layer]
    /// Per-sample output shape.
    public let outputShape: [Int]
    /// The weights, by `layer/weight` name.
    public let weights: [String: Tensor]

    public var inputShape: [Int] { spec.inputShape }
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }

    /// Builds the layers of `spec` with `weights` (keys `layerName/kernel`, `layerName/bias`, ...).
    /// - Throws: ``ModelError`` naming the layer: a missing or misshapen weight, an unsupported
    ///   setting, or shapes that do not chain.
    public convenience init(spec: ModelSpec, weights: [String: Tensor]) throws {
        try self.init(spec: spec) { layer, weight, _ in
            guard let t = weights["\(layer)/\(weight)"] else { throw ModelError("layer \(layer): weight '\(weight)' is missing") }
            return t
        }
    }

    /// Builds the layers of `spec`, asking `provider` for each weight with the shape it must have.
    public init(spec: ModelSpec, weights provider: WeightProvider) throws {
        var shape = spec.inputShape
        guard !shape.isEmpty, shape.allSatisfy({ $0 > 0 }) else {
            throw ModelError("input shape \(spec.inputShape) must be positive")
        }
        var layers: [any Layer] = []
        var used: [String: Tensor] = [:]
        for layerSpec in spec.layers {
            let layer = try LayerFactory.make(layerSpec, inputShape: shape) { layer, weight, expected in
                let t = try provider(layer, weight, expected)
                used["\(layer)/\(weight)"] = t
                return t
            }
            shape = try layer.outputShape(for: shape)
            layers.append(layer)
        }
        self.spec = spec
        self.layers = layers
        self.weights = used
        outputShape = shape
    }

    /// Runs the network on a batch `x` of shape `[batch] + inputShape`.
    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.sampleShape == inputShape, "input \(x.shape) does not match the model's \(inputShape)")
        return layers.reduce(x) { $1.forward($0) }
    }

    /// Runs the network with the batch split across `threads` threads (samples are independent,
    /// so results do not depend on the thread count).
    public func predict(_ x: Tensor, threads: Int) -> Tensor {
        let n = x.batch
        let workers = max(1, min(threads, n))
        if workers == 1 { return forward(x) }
        let per = x.sampleSize, outPer = outputShape.reduce(1, *)
        let chunks = (0..<workers).map { w in (n * w / workers)..<(n * (w + 1) / workers) }
        let results = ResultSlots(count: workers)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let range = chunks[w]
            let part = Tensor(shape: [range.count] + inputShape, data: Array(x.data[(range.lowerBound * per)..<(range.upperBound * per)]))
            results.set(w, forward(part).data)
        }
        var data: [Float] = []
        data.reserveCapacity(n * outPer)
        for w in 0..<workers { data += results.get(w) }
        return Tensor(shape: [n] + outputShape, data: data)
    }
}

/// One result slot per worker; each worker writes only its own, into storage that never moves.
private final class ResultSlots: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<[Float]>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: [], count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    func set(_ i: Int, _ value: [Float]) { slots[i] = value }
    func get(_ i: Int) -> [Float] { slots[i] }
}
