import Cohort
import Fusions
import Genome
import XCTest

final class CohortPairsTests: XCTestCase {
    private func call(
        _ sample: String, _ caller: String, head: Int, tail: Int, genes: (String, String) = ("A", "B"),
        headChromosome: String = "chr1"
    ) -> CohortCall {
        CohortCall(
            sample: sample, caller: caller, source: sample + ".tsv", line: 2,
            head: Breakpoint(gene: genes.0, chromosome: headChromosome, position: head, strand: .plus),
            tail: Breakpoint(gene: genes.1, chromosome: "chr2", position: tail, strand: .minus))
    }

    func testExactPairsGroupCallsAcrossSamplesAndCallers() {
        let calls = [
            call("s1", "star-fusion", head: 100, tail: 500),
            call("s2", "arriba", head: 100, tail: 500, genes: ("A2", "B")),
            call("s2", "star-fusion", head: 100, tail: 500),
            call("s1", "arriba", head: 101, tail: 500),
            call("s3", "arriba", head: 90, tail: 700, headChromosome: "chr0"),
        ]
        let pairs = CohortPairs(calls: calls, mergeDistance: 0)
        // chr0 sorts first, then chr1:100 before chr1:101.
        XCTAssertEqual(pairs.pairs.map(\.calls), [[4], [0, 1, 2], [3]])
        XCTAssertEqual(pairs.pairOfCall, [1, 1, 1, 2, 0])
        // Two of three calls name A--B.
        XCTAssertEqual(pairs.pairs[1].head.gene, "A")
        XCTAssertEqual(pairs.pairs.map(\.mergedPairs), [1, 1, 1])
        XCTAssertEqual(pairs.pairs.map(\.headSpread), [0, 0, 0])
    }

    func testMergeDistanceJoinsPairsNearTheClusterAnchorOnBothSides() {
        let calls = [
            call("s1", "a", head: 100, tail: 500),
            call("s2", "a", head: 104, tail: 497),
            call("s3", "a", head: 104, tail: 497),
            // Within 5 of 104 but 6 from the anchor 100: a cluster of its own (anchored, not chained).
            call("s4", "a", head: 106, tail: 500),
            // Head within, tail 6 away: not merged.
            call("s5", "a", head: 101, tail: 506),
        ]
        let pairs = CohortPairs(calls: calls, mergeDistance: 5)
        XCTAssertEqual(pairs.pairs.count, 3)
        let merged = pairs.pairs[pairs.pairOfCall[0]]
        XCTAssertEqual(merged.calls, [0, 1, 2])
        XCTAssertEqual(merged.mergedPairs, 2)
        // The pair with most calls is the one scored; the spread covers both.
        XCTAssertEqual([merged.head.position, merged.tail.position], [104, 497])
        XCTAssertEqual([merged.headSpread, merged.tailSpread], [4, 3])
        XCTAssertEqual(pairs.pairOfCall[3], pairs.pairs.firstIndex { $0.head.position == 106 })
        XCTAssertNotEqual(pairs.pairOfCall[4], pairs.pairOfCall[0])
        // The order of the calls does not change the pairs.
        let shuffled = CohortPairs(calls: calls.reversed(), mergeDistance: 5)
        XCTAssertEqual(shuffled.pairs.map(\.key), pairs.pairs.map(\.key))
    }
}
