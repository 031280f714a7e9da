import FusionAI
import NeuralNet
import XCTest

final class FusionAIArchitectureTests: XCTestCase {
    func testTheBuiltInNetworkHasThePublishedShapeAndParameterCount() throws {
        let model = try Initializers.randomWeights(for: FusionAIArchitecture.spec(), seed: 1)
        XCTAssertEqual(model.parameterCount, FusionAIArchitecture.parameterCount)
        XCTAssertEqual(model.inputShape, [20_000, 4, 1])
        XCTAssertEqual(model.outputShape, [2])
    }
}
