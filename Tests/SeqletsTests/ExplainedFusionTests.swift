import Foundation
import Genome
import Results
import Seqlets
import TestSupport
import XCTest

final class ExplainedFusionTests: XCTestCase {
    /// NumPy `.npy` 1.0 bytes of little-endian float32 `values`.
    private func npy(_ values: [Float], shape: String) -> Data {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }"
        header += String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), 0]
        bytes += Array(header.utf8)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
        return Data(bytes)
    }

    /// A folder with fusion `f`: two positions per part, the head on + around chr1:100 and the tail
    /// on - around chrX:50, both at window positions 5000-5001 (so head 100, 101 and tail 51, 50).
    private func folder(rows: [String]? = nil, hypShape: String = "(4, 4)") throws -> ExplainFolder {
        let folder = ExplainFolder(path: try TestData.temporaryDirectory())
        try npy([0.5, -1, 2, 0.25], shape: "(4,)").write(to: URL(fileURLWithPath: folder.scoreArray("f")))
        try npy((0..<16).map(Float.init), shape: hypShape).write(
            to: URL(fileURLWithPath: folder.hypotheticalContributions("f")))
        let table =
            rows ?? [
                "1\thead\t5000\tchr1\t100\tA\t0.5", "2\thead\t5001\tchr1\t101\tg\t-1", "3\ttail\t5000\tchrX\t51\tN\t2",
                "4\ttail\t5001\tchrX\t50\tT\t0.25",
            ]
        try ("index\tpart\twindow_position\tchrom\tposition\tbase\tfis\n" + table.joined(separator: "\n") + "\n")
            .write(toFile: folder.scoreTable("f"), atomically: false, encoding: .utf8)
        return folder
    }

    /// The strand and breakpoint of each part follow from the window rule at its genome positions.
    func testPartsArePlacedByInvertingTheWindowRule() throws {
        let fusion = try ExplainedFusion.read(id: "f", folder: try folder())
        XCTAssertEqual(fusion.scores, [0.5, -1, 2, 0.25])
        XCTAssertEqual(fusion.hypothetical, (0..<16).map(Float.init))
        XCTAssertTrue(fusion.hasHypothetical)
        XCTAssertEqual(fusion.bases, Array("AGNT".utf8))
        XCTAssertEqual(
            fusion.parts,
            [
                PartPlacement(
                    name: "head", chromosome: "chr1", breakpoint: 100, strand: .plus, firstIndex: 4_999,
                    onGenome: [true, true]),
                PartPlacement(
                    name: "tail", chromosome: "chrX", breakpoint: 50, strand: .minus, firstIndex: 4_999,
                    onGenome: [true, true]),
            ])
        let tailSeqlet = Seqlet(part: 1, start: 0, end: 2, sign: .positive, windowSum: 2, attributionSum: 2.25)
        let placed = try XCTUnwrap(SeqletPlacement(tailSeqlet, part: fusion.parts[1]))
        XCTAssertEqual([placed.start, placed.end, placed.distanceToBreakpoint], [49, 51, 0])
        XCTAssertEqual([placed.windowStart, placed.windowEnd], [5_000, 5_001])
    }

    /// Without `ID.hyp.npy`, each score stands at its present base.
    func testWithoutHypotheticalContributionsTheScoresStandAtThePresentBases() throws {
        let f = try folder()
        try FileManager.default.removeItem(atPath: f.hypotheticalContributions("f"))
        let fusion = try ExplainedFusion.read(id: "f", folder: f)
        XCTAssertFalse(fusion.hasHypothetical)
        XCTAssertEqual(fusion.hypothetical, [0.5, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0.25])
    }

    func testUnusableFilesAreErrorsNamingThem() throws {
        assertThrows(
            try ExplainedFusion.read(id: "f", folder: folder(hypShape: "(4, 3)")), SeqletsError.self, code: .badArray)
        assertThrows(try ExplainedFusion.read(id: "g", folder: folder()), SeqletsError.self, code: .badArray)
        let short = try folder(rows: ["1\thead\t5000\tchr1\t100\tA\t0.5"])
        assertThrows(try ExplainedFusion.read(id: "f", folder: short), SeqletsError.self, code: .badScoreTable)
        // Window positions 5000 then 5002: a row is missing, so the rest cannot be placed.
        let off = try folder(rows: [
            "1\thead\t5000\tchr1\t100\tA\t0.5", "2\thead\t5001\tchr1\t101\tG\t-1", "3\ttail\t5000\tchrX\t51\tN\t2",
            "4\ttail\t5002\tchrX\t49\tT\t0.25",
        ])
        let error = assertThrows(
            try ExplainedFusion.read(id: "f", folder: off), SeqletsError.self, code: .badScoreTable)
        XCTAssertEqual(error?.path, off.scoreTable("f"))
    }
}
