import Foundation
import FusionAI
import Fusions
import NeuralNet
import TestSupport
import XCTest

/// Training rows read by byte offset, with labels from column 11 or from a labels file.
final class WindowDataSetTests: XCTestCase {
    private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/keras").path

    private func scorer() throws -> FusionScorer {
        try FusionScorer(model: ModelFile.load(fixtures + "/fusionai_small.keras2.h5"))
    }

    /// A data row: 8 columns, two 10-kb windows of `base`, and an optional label.
    private func row(_ base: Character, label: Int?) -> String {
        let window = String(repeating: base, count: WindowRule.length)
        let columns = ["A", "chr1", "100", "+", "B", "chr2", "200", "-", window, window]
        return (columns + (label.map { [String($0)] } ?? [])).joined(separator: "\t")
    }

    private func write(_ lines: [String], _ name: String) throws -> String {
        let path = try TestData.temporaryDirectory() + "/" + name
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testLabelsComeFromColumn11OrFromALabelsFileOfBitsOrOneHotPairs() throws {
        let headed = try write(["Hgene\tHchr", "# a comment", row("A", label: 1), row("C", label: 0)], "data.tsv")
        let inFile = try WindowDataSet(path: headed, scorer: scorer())
        XCTAssertEqual(inFile.labels, [1, 0])
        XCTAssertEqual(inFile.count, 2)

        let bare = try write([row("A", label: nil), row("C", label: nil), row("G", label: nil)], "bare.tsv")
        let pairs = try write(["0,1", "1,0", "", "1"], "target.csv")
        XCTAssertEqual(try WindowDataSet(path: bare, labelsPath: pairs, scorer: scorer()).labels, [1, 0, 1])
        // The second row's windows, cropped to the model's 300-nt view of each window.
        let batch = try WindowDataSet(path: bare, labelsPath: pairs, scorer: scorer()).batch([1])
        XCTAssertEqual(batch.labels, [0])
        XCTAssertEqual(batch.x.batch, 1)
        // numpy.savetxt writes floats.
        let floats = try write(["0.000000000000000000e+00,1.000000000000000000e+00", "1.0 0.0", "1.0"], "np.csv")
        XCTAssertEqual(try WindowDataSet(path: bare, labelsPath: floats, scorer: scorer()).labels, [1, 0, 1])
        // R writes TRUE/FALSE, pandas True/False and floats 1.0/0.0, in a column or a labels file.
        let written = [row("A", label: 1), row("C", label: 0), row("G", label: 1)].enumerated().map { i, line in
            String(line.dropLast()) + ["TRUE", "0.0", "1.0"][i]
        }
        XCTAssertEqual(try WindowDataSet(path: write(written, "r.tsv"), scorer: scorer()).labels, [1, 0, 1])
        let booleans = try write(["False", "true", "FALSE,TRUE"], "booleans.csv")
        XCTAssertEqual(try WindowDataSet(path: bare, labelsPath: booleans, scorer: scorer()).labels, [0, 1, 1])
    }

    /// What is neither a bit nor a one-hot pair is refused where it stands, not read as the larger column.
    func testLabelsThatAreNotBitsOrOneHotPairsAreRefused() throws {
        let bare = try write([row("A", label: nil), row("C", label: nil)], "bare.tsv")
        for bad in ["1,1", "2,5", "0.3,0.7", "0,0", "1,x", "2", "0.5", "0,1,0", "yes", "nan", "0x1", "T"] {
            let labels = try write(["0", bad], "labels.csv")
            let error = assertThrows(
                try WindowDataSet(path: bare, labelsPath: labels, scorer: scorer()), FusionInputError.self,
                code: .malformedRow)
            XCTAssertEqual(error?.line, 2, bad)
            XCTAssertTrue(error?.message.contains("'\(bad)' is not a label") == true, "\(String(describing: error))")
        }
    }

    func testBadLabelsAndInputsAreCodedErrorsNamingTheFile() throws {
        let bare = try write([row("A", label: nil), row("C", label: nil)], "bare.tsv")
        let short = try write(["1"], "short.txt")
        let error = assertThrows(
            try WindowDataSet(path: bare, labelsPath: short, scorer: scorer()), FusionInputError.self,
            code: .labelMismatch)
        XCTAssertEqual(error?.path, short)
        let bad = try write(["1", "maybe"], "bad.txt")
        let badLabel = assertThrows(
            try WindowDataSet(path: bare, labelsPath: bad, scorer: scorer()), FusionInputError.self, code: .malformedRow
        )
        XCTAssertEqual(badLabel?.line, 2)
        let unlabelled = assertThrows(
            try WindowDataSet(path: bare, scorer: scorer()), FusionInputError.self, code: .malformedRow)
        XCTAssertEqual(unlabelled?.line, 1)
        let noWindows = try write(["A\tchr1\t100\t+\tB\tchr2\t200\t-\tACGT\tACGT\t1"], "short-windows.tsv")
        assertThrows(try WindowDataSet(path: noWindows, scorer: scorer()), FusionInputError.self, code: .malformedRow)
        let gzip = try write([], "data.tsv.gz")
        try Data([0x1F, 0x8B, 0x08, 0x00]).write(to: URL(fileURLWithPath: gzip))
        assertThrows(try WindowDataSet(path: gzip, scorer: scorer()), FusionInputError.self, code: .compressed)
        var junk = row("A", label: 1)
        junk.replaceSubrange(
            junk.index(junk.startIndex, offsetBy: 40)...junk.index(junk.startIndex, offsetBy: 40), with: "#")
        let junkWindow = try write([row("A", label: 1), junk], "junk.tsv")
        let junkError = assertThrows(
            try WindowDataSet(path: junkWindow, scorer: scorer()), FusionInputError.self, code: .malformedRow)
        XCTAssertEqual(junkError?.line, 2)
        XCTAssertTrue(junkError?.message.contains("column 9 holds a byte that is no DNA letter") == true)
        let empty = try write(["Hgene\tHchr"], "empty.tsv")
        assertThrows(try WindowDataSet(path: empty, scorer: scorer()), FusionInputError.self, code: .empty)
    }
}
