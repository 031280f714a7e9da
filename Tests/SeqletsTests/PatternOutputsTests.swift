import Foundation
import Motifs
import Results
import TestSupport
import XCTest

@testable import Seqlets

final class PatternOutputsTests: XCTestCase {
    /// Patterns of both signs: each sign's MEME file holds its PWMs with their seqlet counts, the
    /// tables hold every position, and each pattern has its two logos.
    func testPatternsAreWrittenPerSignWithMatricesAndLogos() throws {
        let folder = PatternsFolder(path: try TestData.temporaryDirectory())
        let positive = Pattern(
            name: "pos_pattern_1", sign: .positive, seqlets: 30,
            cwm: [[0.5, 0, 0, 0], [0, 0, 0.25, 0.05]], pwm: [[1, 0, 0, 0], [0, 0, 0.8, 0.2]], support: [30, 25])
        let negative = Pattern(
            name: "neg_pattern_1", sign: .negative, seqlets: 12, cwm: [[0, -0.4, 0, 0]], pwm: [[0, 1, 0, 0]],
            support: [12])
        try PatternOutputs(folder: folder).write([positive, negative])
        let meme = try MEMEFile.read(path: folder.meme(sign: "positive"))
        XCTAssertEqual(meme.motifs.map(\.id), ["pos_pattern_1"])
        XCTAssertEqual(meme.motifs.first?.rows, positive.pwm)
        XCTAssertEqual(meme.motifs.first?.sites, 30)
        XCTAssertEqual(try MEMEFile.read(path: folder.meme(sign: "negative")).motifs.map(\.id), ["neg_pattern_1"])
        let table = try TSVTable(path: folder.table)
        XCTAssertEqual(table.column("pattern"), ["pos_pattern_1", "neg_pattern_1"])
        XCTAssertEqual(table.column("consensus"), ["AG", "C"])
        XCTAssertEqual(table.column("sign"), ["+", "-"])
        let matrices = try TSVTable(path: folder.matrices)
        XCTAssertEqual(matrices.column("support"), ["30", "25", "12"])
        XCTAssertEqual(matrices.rows[1].double("cwm_G"), 0.25)
        XCTAssertEqual(matrices.rows[1].double("pwm_T"), 0.2)
        for name in ["pos_pattern_1", "neg_pattern_1"] {
            XCTAssertTrue(try String(contentsOfFile: folder.pwmLogo(name), encoding: .utf8).hasPrefix("<svg"))
            XCTAssertTrue(try String(contentsOfFile: folder.cwmLogo(name), encoding: .utf8).hasPrefix("<svg"))
        }
    }
}
