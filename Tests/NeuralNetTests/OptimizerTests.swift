import XCTest

@testable import NeuralNet

/// One and two steps of each optimizer against values worked out by hand (Keras's update rules,
/// in double precision).
final class OptimizerTests: XCTestCase {
    private func run(_ optimizer: inout some Optimizer, gradients: [Float]) -> [Float] {
        var weights = ["w": Tensor(shape: [1], data: [1])]
        var trace: [Float] = []
        for g in gradients {
            optimizer.step(&weights, gradients: ["w": Tensor(shape: [1], data: [g])])
            trace.append(weights["w"]!.data[0])
        }
        return trace
    }

    func testSGDWithMomentum() {
        // v1 = -0.1 * 0.5 = -0.05, w = 0.95; v2 = 0.9 * -0.05 - 0.05 = -0.095, w = 0.855.
        var sgd = SGD(learningRate: 0.1, momentum: 0.9)
        let trace = run(&sgd, gradients: [0.5, 0.5])
        XCTAssertEqual(trace[0], 0.95, accuracy: 1e-6)
        XCTAssertEqual(trace[1], 0.855, accuracy: 1e-6)
        var plain = SGD(learningRate: 0.1)
        XCTAssertEqual(run(&plain, gradients: [0.5])[0], 0.95, accuracy: 1e-6)
    }

    func testAdam() {
        // t = 1: m = 0.05, v = 0.00025, rate = 0.001 * sqrt(0.001) / 0.1: w = 0.99900000632;
        // t = 2 with g = -0.25: w = 0.99873367079.
        var adam = Adam()
        let trace = run(&adam, gradients: [0.5, -0.25])
        XCTAssertEqual(Double(trace[0]), 0.9990000063245154, accuracy: 1e-6)
        XCTAssertEqual(Double(trace[1]), 0.9987336707920792, accuracy: 1e-6)
        XCTAssertEqual(adam.iterations, 2)
    }

    func testAdadeltaWithFusionAIsSettings() {
        // a = 0.05 * 0.25 = 0.0125; d = -sqrt(1e-7) / sqrt(0.0125 + 1e-7) * 0.5; w = 0.99858579209;
        // then g = -0.25: w = 0.99949865816.
        var adadelta = Adadelta(learningRate: 1, rho: 0.95, epsilon: 1e-7)
        let trace = run(&adadelta, gradients: [0.5, -0.25])
        XCTAssertEqual(Double(trace[0]), 0.9985857920944472, accuracy: 1e-6)
        XCTAssertEqual(Double(trace[1]), 0.9994986581550116, accuracy: 1e-6)
        XCTAssertEqual(
            Double(adadelta.state["w/accumulated_grad"]!.data[0]), 0.0125 * 0.95 + 0.05 * 0.0625, accuracy: 1e-8)
    }

    /// Weights of 150,001 values take three chunks: on 3 threads every value, and every state
    /// slot, equals a one-thread update bit for bit, and each value follows the rule on its own.
    func testUpdatesDoNotDependOnThreads() {
        let count = 150_001
        let gradient = Tensor(shape: [count], data: (0..<count).map { Float($0 % 97) / 50 - 0.9 })
        let start = ["w": Tensor(shape: [count], data: (0..<count).map { Float($0 % 13) / 7 })]
        func twoSteps(_ optimizer: inout some Optimizer, threads: Int) -> [String: Tensor] {
            optimizer.threads = threads
            var weights = start
            for _ in 0..<2 { optimizer.step(&weights, gradients: ["w": gradient]) }
            return weights.merging(optimizer.state) { a, _ in a }
        }
        var (d1, d3) = (Adadelta(), Adadelta())
        XCTAssertEqual(twoSteps(&d1, threads: 1), twoSteps(&d3, threads: 3))
        var (a1, a3) = (Adam(learningRate: 0.1), Adam(learningRate: 0.1))
        XCTAssertEqual(twoSteps(&a1, threads: 1), twoSteps(&a3, threads: 3))
        var (s1, s3) = (SGD(learningRate: 0.1, momentum: 0.9), SGD(learningRate: 0.1, momentum: 0.9))
        let (r1, r3) = (twoSteps(&s1, threads: 1), twoSteps(&s3, threads: 3))
        XCTAssertEqual(r1, r3)
        XCTAssertEqual(r1.count, 2, "the weight and its velocity")
        // The last value, in the third chunk, against the rule for one value alone.
        var single = SGD(learningRate: 0.1, momentum: 0.9)
        let g = gradient.data[count - 1]
        let alone = run(&single, gradients: [g, g])[1] - 1
        let chunked = (r3["w"]?.data[count - 1] ?? .nan) - start["w"]!.data[count - 1]
        XCTAssertEqual(chunked, alone, accuracy: 1e-6)
        XCTAssertNotEqual(alone, 0)
    }

    /// The trainer's sum of its threads' partial gradients: the parts added in order for every
    /// value, as a serial loop adds them, whatever the threads (150,001 values: three chunks).
    func testPartialGradientsSumInOrderOnAnyThreads() {
        let count = 150_001
        let parts = (0..<3).map { p in
            [
                "w": Tensor(shape: [count], data: Fixtures.random(count, seed: UInt64(10 + p))),
                "b": Tensor(shape: [2], data: [Float(p), 0.1]),
            ]
        }
        var serial = parts[0]
        for part in parts.dropFirst() {
            for (key, t) in part {
                for i in t.data.indices { serial[key]!.data[i] += t.data[i] }
            }
        }
        XCTAssertEqual(Trainer.sum(parts, threads: 1), serial)
        XCTAssertEqual(Trainer.sum(parts, threads: 3), serial)
        XCTAssertEqual(Trainer.sum([parts[0]], threads: 3), parts[0])
    }
}
