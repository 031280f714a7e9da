import Foundation
import Genome
import TestSupport
import XCTest

@testable import Fusions

/// Everything a ``FusionReader`` gives for one file.
struct ReadResult {
    let format: FusionFormat
    let records: [FusionRecord]
    let rejections: [Rejection]
    let ignored: Int
    /// What the annotation said of the strands.
    let strands: StrandCheck

    /// Each record as `line HEAD chr:pos:strand TAIL chr:pos:strand`, to compare with rows written out in tests.
    var summaries: [String] { records.map(\.summary) }

    /// How many rejections there are for each reason.
    var rejectionCounts: [Rejection.Reason: Int] {
        rejections.reduce(into: [:]) { $0[$1.reason, default: 0] += 1 }
    }
}

extension FusionRecord {
    var summary: String {
        "\(line) \(head.gene) \(head.chromosome):\(head.position):\(head.strand.symbol) \(tail.gene) "
            + "\(tail.chromosome):\(tail.position):\(tail.strand.symbol)"
    }
}

/// Reads `path` to the end.
func readAll(_ path: String, format: FusionFormat? = nil, annotation: GeneAnnotation? = nil) throws -> ReadResult {
    let reader = try FusionReader(path: path, format: format, annotation: annotation)
    var records: [FusionRecord] = []
    var rejections: [Rejection] = []
    var ignored = 0
    while let result = try reader.next() {
        switch result {
        case .record(let r): records.append(r)
        case .rejected(let r): rejections.append(r)
        case .ignored: ignored += 1
        }
    }
    return ReadResult(
        format: reader.format, records: records, rejections: rejections, ignored: ignored, strands: reader.strands)
}

/// A file of the shared caller sample.
func callerFile(_ name: String) -> String { TestData.path("fusions/callers/" + name) }

/// The lines of a shared caller file.
func callerLines(_ name: String) throws -> [String] {
    try String(contentsOfFile: callerFile(name), encoding: .utf8).split(
        separator: "\n", omittingEmptySubsequences: true
    ).map(String.init)
}

/// Writes `lines` (joined with newlines) to a fresh temporary file named `name`.
func writeTemporary(_ lines: [String], name: String) throws -> String {
    let path = try TestData.temporaryDirectory("fusionai-readers") + "/" + name
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
    return path
}

/// `row` with column `index` (0-based, split on `separator`) replaced by `value`.
func replacing(_ row: String, column index: Int, with value: String, separator: Character = "\t") -> String {
    var fields = row.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
    fields[index] = value
    return fields.joined(separator: String(separator))
}

/// `row` cut to its first `count` columns.
func truncating(_ row: String, to count: Int, separator: Character = "\t") -> String {
    row.split(separator: separator, omittingEmptySubsequences: false).prefix(count).joined(separator: String(separator))
}

/// Asserts that `result` holds no record and exactly the expected malformed rejections, each detail
/// naming its column and bad value.
func assertMalformed(
    _ result: ReadResult, _ expected: [(line: Int, words: [String])], file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertEqual(result.summaries, [], "no row should yield a record", file: file, line: line)
    XCTAssertEqual(result.rejections.map(\.line), expected.map(\.line), file: file, line: line)
    for (rejection, want) in zip(result.rejections, expected) {
        XCTAssertEqual(rejection.reason, .malformed, "\(rejection)", file: file, line: line)
        for word in want.words {
            XCTAssertTrue(
                rejection.detail.contains(word), "'\(rejection.detail)' should mention '\(word)'", file: file,
                line: line)
        }
    }
}
