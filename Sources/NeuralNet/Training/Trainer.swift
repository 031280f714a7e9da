import Foundation
import SeededRandom
import Support

/// Mini-batch training with cross-entropy, active dropout, an ``Optimizer``, validation loss per
/// epoch, early stopping, and a checkpoint after every epoch from which a killed run resumes to
/// bit-identical weights.
///
/// Everything random comes from the seed: the sample order of epoch e is a shuffle seeded by
/// (seed, e), and each sample's dropout masks by (seed, e, its index), so neither depends on the
/// thread count. A batch is split across threads and the gradient sums are added in a fixed
/// order, so results are deterministic for a given thread count.
public struct Trainer {
    public struct Configuration: Sendable {
        public var epochs = 10
        public var batchSize = 32
        public var seed: UInt64 = 1
        /// Stop after this many epochs without a better validation loss (nil: never).
        public var patience: Int? = nil
        public var threads = 1
        /// Digests of the run's data, keyed by what named it (`DATA`, `--valid`, ...): kept in the
        /// checkpoint with the trainer's own settings, and a resume with any of them changed is refused.
        public var dataDigests: [String: String] = [:]

        public init() {}
    }

    /// One epoch's figures.
    public struct Epoch: Codable, Sendable, Equatable {
        public let epoch: Int
        public let trainingLoss: Double
        public let validationLoss: Double?
        public let validationAccuracy: Double?
    }

    /// What ``train(_:optimizer:training:validation:checkpoint:resume:onEpoch:)`` returns.
    public struct Trained: Sendable {
        /// The best model by validation loss (the last one without validation data).
        public let model: Model
        /// Every epoch's figures, a resumed run's earlier epochs included.
        public let history: [Epoch]
        /// Epochs the checkpoint held when the run resumed (nil: it started afresh).
        public let resumedAfter: Int?
        /// Differences from the checkpoint's run that a resume accepts but that change the figures
        /// (the thread count: sums are split differently).
        public let warnings: [String]
    }

    /// Mean cross-entropy and accuracy of a model on some data.
    public struct Evaluation: Sendable, Equatable {
        public let loss: Double
        public let accuracy: Double
    }

    /// What a checkpoint holds besides the weights and optimizer state.
    private struct Progress: Codable {
        var history: [Epoch]
        var bestLoss: Double?
        var bestEpoch: Int
        var iterations: Int
        /// What identifies the run (``identity(of:optimizer:training:validation:)``); absent in
        /// checkpoints written before it was kept.
        var run: [String: String]?
    }

    /// Settings a resumed run must share with its checkpoint, and how a difference is told.
    private static let strictSettings: [(key: String, label: String)] = [
        ("architecture", "the model's architecture"), ("optimizer", "the optimizer or its settings"),
        ("seed", "--seed"), ("batch_size", "--batch-size"), ("training_samples", "training sequences"),
        ("validation_samples", "validation sequences"),
    ]

    public var configuration: Configuration

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Trains `model` and returns the final model (the best by validation loss when there is
    /// validation data) and the per-epoch history.
    /// - Parameters:
    ///   - checkpoint: a file written atomically after every epoch; with `resume`, training
    ///     continues after the epoch it records.
    ///   - onEpoch: called after each epoch (logging).
    public func train(
        _ model: Model, optimizer initial: some Optimizer, training: some TrainingData,
        validation: (some TrainingData)?,
        checkpoint: String? = nil, resume: Bool = false, onEpoch: (Epoch) -> Void = { _ in }
    ) throws -> Trained {
        // An empty validation set would score every epoch 0 and keep the first epoch's weights.
        let validation = validation.flatMap { $0.count > 0 ? $0 : nil }
        var optimizer = initial
        optimizer.threads = max(1, configuration.threads)
        var weights = model.weights
        let run = try identity(of: model, optimizer: optimizer, training: training, validation: validation)
        var progress = Progress(history: [], bestLoss: nil, bestEpoch: 0, iterations: 0, run: run)
        var best = weights
        var resumedAfter: Int?
        var warnings: [String] = []
        if resume, let checkpoint, FileManager.default.fileExists(atPath: checkpoint) {
            let contents = try Safetensors.read(checkpoint)
            guard let text = contents.metadata["fusionai.training"] else {
                throw ModelError(.unsupportedFormat, path: checkpoint, "is not a training checkpoint")
            }
            let saved: Progress
            do {
                saved = try JSONDecoder().decode(Progress.self, from: Data(text.utf8))
            } catch {
                throw ModelError(.corrupt, path: checkpoint, "its training progress cannot be read (\(error))")
            }
            if let earlier = saved.run {
                warnings = try Self.compare(earlier, with: run, checkpoint: checkpoint)
            }
            progress = saved
            progress.run = run
            resumedAfter = saved.history.count
            for (key, t) in contents.tensors {
                if key.hasPrefix("weights/") { weights[String(key.dropFirst(8))] = t }
                if key.hasPrefix("best/") { best[String(key.dropFirst(5))] = t }
                if key.hasPrefix("optimizer/") { optimizer.state[String(key.dropFirst(10))] = t }
            }
            optimizer.iterations = saved.iterations
        }
        let spec = model.spec
        var current = try Model(spec: spec, weights: weights)
        var stale = progress.history.count - progress.bestEpoch
        // Patience 0 would stop before the first epoch and hand back the untrained weights.
        let patience = configuration.patience.map { max(1, $0) }
        for epoch in (progress.history.count + 1)...max(configuration.epochs, progress.history.count + 1)
        where epoch <= configuration.epochs {
            if let patience, validation != nil, stale >= patience { break }
            var order = Array(0..<training.count)
            var rng = SeededGenerator(seed: configuration.seed &+ UInt64(epoch) &* 0x1000_0001)
            rng.shuffle(&order)
            var lossSum = 0.0
            var start = 0
            while start < order.count {
                let indices = Array(order[start..<min(order.count, start + configuration.batchSize)])
                let batch = try batchGradients(current, training, indices, epoch: epoch, positionInEpoch: start)
                lossSum += batch.loss * Double(indices.count)
                optimizer.step(&weights, gradients: batch.gradients)
                current = try Model(spec: spec, weights: weights)
                start += indices.count
            }
            var record = Epoch(
                epoch: epoch, trainingLoss: lossSum / Double(max(1, order.count)), validationLoss: nil,
                validationAccuracy: nil)
            if let validation {
                let scores = try evaluate(current, validation)
                let loss = scores.loss
                record = Epoch(
                    epoch: epoch, trainingLoss: record.trainingLoss, validationLoss: loss,
                    validationAccuracy: scores.accuracy)
                if progress.bestLoss.map({ loss < $0 }) ?? true {
                    progress.bestLoss = loss
                    progress.bestEpoch = epoch
                    best = weights
                    stale = 0
                } else {
                    stale += 1
                }
            } else {
                best = weights
                progress.bestEpoch = epoch
            }
            progress.history.append(record)
            progress.iterations = optimizer.iterations
            if let checkpoint {
                try save(checkpoint, weights: weights, best: best, optimizer: optimizer, progress: progress, spec: spec)
            }
            onEpoch(record)
        }
        return Trained(
            model: try Model(spec: spec, weights: best), history: progress.history, resumedAfter: resumedAfter,
            warnings: warnings)
    }

    /// The run's identity as its checkpoint keeps it: the caller's data digests, the architecture,
    /// the optimizer's settings, the seed, the batch size, the data's sizes and the thread count.
    private func identity(
        of model: Model, optimizer: some Optimizer, training: some TrainingData, validation: (some TrainingData)?
    ) throws -> [String: String] {
        var run = configuration.dataDigests.reduce(into: [String: String]()) { $0["data " + $1.key] = $1.value }
        run["architecture"] = String(decoding: try ModelFile.stableJSON(model.spec), as: UTF8.self)
        run["optimizer"] = optimizer.settings
        run["seed"] = "\(configuration.seed)"
        run["batch_size"] = "\(configuration.batchSize)"
        run["training_samples"] = "\(training.count)"
        run["validation_samples"] = "\(validation?.count ?? 0)"
        run["threads"] = "\(max(1, configuration.threads))"
        return run
    }

    /// Refuses a resume whose settings or data differ from the checkpoint's run (the weights would
    /// continue on another trajectory, and the result would match neither run); returns warnings for
    /// differences it accepts.
    private static func compare(
        _ earlier: [String: String], with now: [String: String], checkpoint: String
    ) throws -> [String] {
        var differences: [String] = []
        for (key, label) in strictSettings where earlier[key] != now[key] {
            let values = key == "architecture" ? "" : ": \(earlier[key] ?? "none") there, \(now[key] ?? "none") now"
            differences.append(label + values)
        }
        let dataKeys = Set(earlier.keys.filter { $0.hasPrefix("data ") }).union(
            now.keys.filter { $0.hasPrefix("data ") })
        for key in dataKeys.sorted() where earlier[key] != now[key] {
            let name = key.dropFirst(5)
            differences.append(
                earlier[key] == nil
                    ? "\(name) is new" : now[key] == nil ? "\(name) is gone" : "\(name) has other contents")
        }
        guard differences.isEmpty else {
            throw ModelError(
                .checkpointMismatch, path: checkpoint,
                "was written by a run with other settings or data (\(differences.joined(separator: "; "))); resume "
                    + "with the same command and files, or delete the checkpoint to start afresh")
        }
        guard earlier["threads"] == now["threads"] else {
            return [
                "\(checkpoint): written with --threads \(earlier["threads"] ?? "?"), resumed with "
                    + "\(now["threads"] ?? "?"): the result will differ from an uninterrupted run in the last digits"
            ]
        }
        return []
    }

    /// The loss and summed gradients of one batch, or of a part of it.
    private struct BatchGradients {
        var loss: Double
        var gradients: [String: Tensor]
    }

    /// Mean loss and summed gradients of one batch, the samples split across threads.
    private func batchGradients(
        _ model: Model, _ data: some TrainingData, _ indices: [Int], epoch: Int, positionInEpoch: Int
    ) throws -> BatchGradients {
        let batch = try data.batch(indices)
        let (x, labels) = (batch.x, batch.labels)
        let n = indices.count
        let per = x.sampleSize
        let seeds = (0..<n).map {
            configuration.seed &+ UInt64(epoch) &* 0x9E37_79B9 &+ UInt64(positionInEpoch + $0) &* 0x85EB_CA6B
        }
        let parts = max(1, min(configuration.threads, n))
        let partials = parallelMap(count: parts, threads: parts) { p in
            let range = (n * p / parts)..<(n * (p + 1) / parts)
            var partLoss = 0.0
            var sums: [String: Tensor] = [:]
            // Two samples at a time: FusionAI's activations are ~20 MB a sample, kept for the backward pass.
            var from = range.lowerBound
            while from < range.upperBound {
                let chunk = from..<min(range.upperBound, from + 2)
                let part = Tensor(
                    shape: [chunk.count] + model.inputShape,
                    data: Array(x.data[(chunk.lowerBound * per)..<(chunk.upperBound * per)]))
                let result = model.gradients(
                    part, parameterGradients: true, dropoutSeeds: Array(seeds[chunk]), inputGradient: false
                ) { y in
                    let crossEntropy = CrossEntropy.evaluate(y, labels: Array(labels[chunk]))
                    let gradient = crossEntropy.gradient
                    partLoss += crossEntropy.loss * Double(chunk.count)
                    // The loss is a mean over the whole batch, not over this chunk.
                    return Tensor(shape: gradient.shape, data: gradient.data.map { $0 * Float(chunk.count) / Float(n) })
                }
                Self.accumulate(result.parameters, into: &sums)
                from = chunk.upperBound
            }
            return BatchGradients(loss: partLoss, gradients: sums)
        }
        let loss = partials.reduce(0.0) { $0 + $1.loss }
        return BatchGradients(
            loss: loss / Double(n), gradients: Self.sum(partials.map(\.gradients), threads: configuration.threads))
    }

    /// The threads' partial gradients summed per weight: every value adds the parts in their order,
    /// as a serial sum would, in chunks of 64 K values on up to `threads` threads (with many cores a
    /// serial sum of one partial per thread would grow with the thread count).
    static func sum(_ parts: [[String: Tensor]], threads: Int) -> [String: Tensor] {
        var total: [String: Tensor] = [:]
        for key in Set(parts.flatMap(\.keys)).sorted() {
            let terms = parts.compactMap { $0[key] }
            guard var t = terms.first else { continue }
            let count = t.count
            let chunk = 1 << 16
            t.data.withUnsafeMutableBufferPointer { sum in
                _ = parallelMap(count: (count + chunk - 1) / chunk, threads: max(1, threads)) { c in
                    let range = (c * chunk)..<min(count, (c + 1) * chunk)
                    for term in terms.dropFirst() {
                        term.data.withUnsafeBufferPointer { add in
                            NeuralNet.accumulate(
                                add.baseAddress! + range.lowerBound, into: sum.baseAddress! + range.lowerBound,
                                count: range.count)
                        }
                    }
                }
            }
            total[key] = t
        }
        return total
    }

    /// Adds each gradient into the running sum of its weight, in place (a copied-out tensor would
    /// be copied whole on its first write).
    private static func accumulate(_ gradients: [String: Tensor], into sums: inout [String: Tensor]) {
        for (key, g) in gradients {
            guard sums[key] != nil else {
                sums[key] = g
                continue
            }
            g.data.withUnsafeBufferPointer { add in
                sums[key]?.data.withUnsafeMutableBufferPointer { sum in
                    guard let a = add.baseAddress, let s = sum.baseAddress else { return }
                    NeuralNet.accumulate(a, into: s, count: sum.count)
                }
            }
        }
    }

    /// Mean cross-entropy and accuracy (argmax, or P >= 0.5 for one output) on `data`.
    public func evaluate(_ model: Model, _ data: some TrainingData) throws -> Evaluation {
        var lossSum = 0.0
        var correct = 0
        var start = 0
        while start < data.count {
            let indices = Array(start..<min(data.count, start + configuration.batchSize))
            let batch = try data.batch(indices)
            let labels = batch.labels
            let y = model.predict(batch.x, threads: configuration.threads)
            lossSum += CrossEntropy.evaluate(y, labels: labels).loss * Double(indices.count)
            let classes = y.sampleSize
            for (s, label) in labels.enumerated() {
                let predicted =
                    classes == 1
                    ? (y.data[s] >= 0.5 ? 1 : 0)
                    : (0..<classes).max { y.data[s * classes + $0] < y.data[s * classes + $1] } ?? 0
                if predicted == label { correct += 1 }
            }
            start += indices.count
        }
        return Evaluation(
            loss: lossSum / Double(max(1, data.count)), accuracy: Double(correct) / Double(max(1, data.count)))
    }

    private func save(
        _ path: String, weights: [String: Tensor], best: [String: Tensor], optimizer: some Optimizer,
        progress: Progress, spec: ModelSpec
    ) throws {
        var tensors: [String: Tensor] = [:]
        for (k, t) in weights { tensors["weights/" + k] = t }
        for (k, t) in best { tensors["best/" + k] = t }
        for (k, t) in optimizer.state { tensors["optimizer/" + k] = t }
        let metadata = [
            "fusionai.training": String(decoding: try ModelFile.stableJSON(progress), as: UTF8.self),
            ModelFile.architectureKey: String(decoding: try ModelFile.stableJSON(spec), as: UTF8.self),
        ]
        let data = try Safetensors.encode(tensors, metadata: metadata)
        _ = try OutputTarget.regularFile(path)
        try OutputFile.write(data, to: path)
    }
}
