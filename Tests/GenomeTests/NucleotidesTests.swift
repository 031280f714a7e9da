import Genome
import XCTest

final class NucleotidesTests: XCTestCase {
    func testReverseComplementIsIUPACAwareAndKeepsCase() {
        let input = Array("ACGTNRYKMBVDHSWacgtn".utf8)
        XCTAssertEqual(String(decoding: Nucleotides.reverseComplemented(input), as: UTF8.self), "nacgtWSDHBVKMRYNACGT")
        XCTAssertEqual(Nucleotides.reverseComplemented(Nucleotides.reverseComplemented(input)), input)
        XCTAssertEqual(Nucleotides.reverseComplemented(Array("A".utf8)), Array("T".utf8))
        XCTAssertEqual(Nucleotides.reverseComplemented([]), [])
    }

    func testUppercaseLeavesNonLettersAlone() {
        var bases = Array("acgtn-*ACGT".utf8)
        Nucleotides.uppercase(&bases)
        XCTAssertEqual(String(decoding: bases, as: UTF8.self), "ACGTN-*ACGT")
    }
}
