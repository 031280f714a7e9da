import Foundation
import XCTest

@testable import NeuralNet

/// The Keras/TensorFlow reference fixtures (tools/keras_reference) and helpers to use them.
enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/keras").path

    static func path(_ name: String) -> String { folder + "/" + name }

    struct Reference: Decodable {
        let model: String
        let inputShape: [Int]
        let sequences: [String]
        let outputs: [[Double]]
        let layerOutputs: [String: [Double]]
        let layerOutputShapes: [String: [Int?]]
    }

    static func reference(_ model: String) throws -> Reference {
        let data = try Data(contentsOf: URL(fileURLWithPath: path("\(model).outputs.json")))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Reference.self, from: data)
    }

    /// One-hot input `[count] + inputShape` (A, C, G, T -> channels 0-3, any case; others all zero).
    static func oneHot(_ sequences: [String], inputShape: [Int]) -> Tensor {
        let per = inputShape.reduce(1, *)
        var data = [Float](repeating: 0, count: sequences.count * per)
        for (s, text) in sequences.enumerated() {
            for (i, base) in text.utf8.enumerated() {
                let channel: Int? =
                    switch base | 0x20 {
                    case UInt8(ascii: "a"): 0
                    case UInt8(ascii: "c"): 1
                    case UInt8(ascii: "g"): 2
                    case UInt8(ascii: "t"): 3
                    default: nil
                    }
                if let channel { data[s * per + i * 4 + channel] = 1 }
            }
        }
        return Tensor(shape: [sequences.count] + inputShape, data: data)
    }

    /// Deterministic values in [-scale, scale).
    static func random(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (Float(state >> 40) / Float(1 << 24) * 2 - 1) * scale
        }
    }
}
