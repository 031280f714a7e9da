import Genome
import TestSupport
import XCTest

final class ChromosomeNamesTests: XCTestCase {
    func testUCSCAndEnsemblNamesResolveBothWays() {
        let ucsc = ChromosomeNames([
            .init(name: "chr1", length: 10), .init(name: "chrX", length: 20), .init(name: "chrM", length: 30),
        ])
        XCTAssertEqual(ucsc.resolve("chr1"), .init(name: "chr1", length: 10, isAlias: false))
        XCTAssertEqual(ucsc.resolve("1"), .init(name: "chr1", length: 10, isAlias: true))
        XCTAssertEqual(ucsc.resolve("X")?.name, "chrX")
        for mito in ["MT", "chrMT", "M", "chrM", "mt"] { XCTAssertEqual(ucsc.resolve(mito)?.name, "chrM", mito) }
        XCTAssertNil(ucsc.resolve("2"))

        let ensembl = ChromosomeNames([.init(name: "1", length: 10), .init(name: "MT", length: 30)])
        XCTAssertEqual(ensembl.resolve("chr1")?.name, "1")
        XCTAssertEqual(ensembl.resolve("chrM")?.name, "MT")
    }

    func testExactNamesWinAndAmbiguousKeysAreNotAliased() {
        let both = ChromosomeNames([.init(name: "chr1", length: 10), .init(name: "1", length: 11)])
        XCTAssertEqual(both.resolve("1"), .init(name: "1", length: 11, isAlias: false))
        XCTAssertEqual(both.resolve("chr1"), .init(name: "chr1", length: 10, isAlias: false))
        XCTAssertNil(both.resolve("CHR1"), "two genome names share the key: no guess")
    }

    func testWholeSequenceRegionHeaderIsItsChromosome() throws {
        // chrM_rCRS.fa's header is `>chrM:1-16569`: the whole sequence, so its coordinates are chrM's.
        let genome = try ReferenceGenome(path: copyOfShared("genome/chrM_rCRS.fa"))
        XCTAssertEqual(genome.sequences, [.init(name: "chrM:1-16569", length: 16_569)])
        XCTAssertEqual(genome.names.resolve("chrM"), .init(name: "chrM:1-16569", length: 16_569, isAlias: true))
        XCTAssertEqual(genome.names.resolve("MT")?.name, "chrM:1-16569")
        // A region that does not start at 1, or is not the whole sequence, is not its chromosome.
        let partial = ChromosomeNames([.init(name: "chrM:2-16569", length: 16_568)])
        XCTAssertNil(partial.resolve("chrM"))
    }

    private func copyOfShared(_ relative: String) throws -> String {
        let folder = try TestData.temporaryDirectory()
        let target = folder + "/" + (relative as NSString).lastPathComponent
        try FileManager.default.copyItem(atPath: TestData.path(relative), toPath: target)
        return target
    }
}
