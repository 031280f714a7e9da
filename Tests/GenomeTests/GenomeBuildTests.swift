import Foundation
import Genome
import TestSupport
import XCTest

final class GenomeBuildTests: XCTestCase {
    private func sizes(_ file: String) throws -> [ChromosomeInfo] {
        try String(contentsOfFile: TestData.path("annotation/\(file)"), encoding: .utf8)
            .split(separator: "\n").compactMap { line in
                let f = line.split(separator: "\t")
                guard f.count >= 2, let n = Int(f[1]) else { return nil }
                return ChromosomeInfo(name: String(f[0]), length: n)
            }
    }

    func testUCSCChromSizesAreTheirBuilds() throws {
        XCTAssertEqual(GenomeBuild.detect(try sizes("hg19.chrom.sizes")).build, .hg19)
        XCTAssertEqual(GenomeBuild.detect(try sizes("hg19.chrom.sizes")).matching, 24)
        XCTAssertEqual(GenomeBuild.detect(try sizes("hg38.chrom.sizes")).build, .hg38)
    }

    func testEnsemblNamesAndPartialGenomesAreDetected() {
        XCTAssertEqual(
            GenomeBuild.detect([.init(name: "2", length: 242_193_529), .init(name: "MT", length: 16_569)]).build, .hg38)
        XCTAssertEqual(GenomeBuild.detect([.init(name: "chr2", length: 243_199_373)]).build, .hg19)
    }

    func testMixedOrUnknownLengthsAreOther() {
        XCTAssertEqual(
            GenomeBuild.detect([.init(name: "chr1", length: 249_250_621), .init(name: "chr2", length: 242_193_529)])
                .build, .other)
        XCTAssertEqual(GenomeBuild.detect([.init(name: "chr1", length: 400_000)]).build, .other)
        XCTAssertEqual(GenomeBuild.detect([.init(name: "chrM", length: 16_569)]).build, .other)
    }
}
