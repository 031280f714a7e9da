import Fusions
import XCTest

final class PizzlyFormatTests: XCTestCase {
    func testEveryRowIsUnplaced() throws {
        let result = try readAll(callerFile("pizzly.tsv"))
        XCTAssertEqual(result.format, .pizzly)
        XCTAssertEqual(result.summaries, [])
        XCTAssertEqual(result.rejections.map(\.line), Array(2...9))
        XCTAssertEqual(result.rejectionCounts, [.unplacedBreakpoint: 8])
        // geneA.name--geneB.name of each row.
        let pairs = [
            "AKAP9--BRAF", "CD74--ROS1", "EWSR1--ATF1", "BRD4--NUTM1", "EWSR1--FLI1", "FGFR3--TACC3", "HOOK3--RET",
            "ETV6--NTRK3",
        ]
        for (rejection, pair) in zip(result.rejections, pairs) {
            XCTAssertTrue(
                rejection.detail.hasPrefix("pizzly reports transcript coordinates only; \(pair) "), rejection.detail)
        }
    }

    func testMalformedRow() throws {
        let lines = try callerLines("pizzly.tsv")
        let path = try writeTemporary([lines[0], truncating(lines[1], to: 2)], name: "pizzly.tsv")
        assertMalformed(try readAll(path), [(2, ["2 column(s)", "geneB.name"])])
    }
}
