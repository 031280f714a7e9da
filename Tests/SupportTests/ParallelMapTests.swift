import Support
import XCTest

/// parallelMap and parallelChunks, the helpers every parallel path (predict, explain, train, features,
/// prepare, cohort) runs on. Under ThreadSanitizer (scripts/test-sanitize.sh) these also check that
/// workers writing their own results and states never race.
final class ParallelMapTests: XCTestCase {
    func testResultsAreInIndexOrderForAnyThreadCount() {
        for threads in [1, 2, 3, 8] {
            for count in [0, 1, 2, 7, 100] {
                let squares = parallelMap(count: count, threads: threads) { $0 * $0 }
                XCTAssertEqual(squares, (0..<count).map { $0 * $0 }, "\(count) on \(threads) threads")
            }
        }
    }

    func testEachWorkerKeepsItsOwnState() {
        // A state per worker that the body mutates: worker w sees indices w, w + workers, ...
        let mapped = parallelMap(count: 50, states: [[Int]](repeating: [], count: 4)) { seen, i -> [Int] in
            seen.append(i)
            return seen
        }
        for (i, seen) in mapped.enumerated() {
            XCTAssertEqual(seen, Array(stride(from: i % 4, through: i, by: 4)), "index \(i)")
        }
    }

    func testChunksAreContiguousNearEqualPartsWrittenByTheirOwnWorker() {
        for workers in [1, 2, 3, 5] {
            var states = [[Int]](repeating: [], count: workers)
            parallelChunks(count: 17, states: &states) { rows, range in rows += range }
            XCTAssertEqual(states.flatMap { $0 }, Array(0..<17), "\(workers) workers")
            let sizes = states.map(\.count)
            XCTAssertLessThanOrEqual(sizes.max()! - sizes.min()!, 1, "\(workers) workers: \(sizes)")
        }
    }
}
