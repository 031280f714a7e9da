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

    /// NCBI's FASTA and GTF name the human chromosomes by RefSeq accession (any version); callers
    /// write UCSC or Ensembl names. Other accessions keep their own names.
    func testRefSeqAccessionsAreTheHumanChromosomes() {
        let ncbi = ChromosomeNames(
            ["NC_000001.11", "NC_000023.11", "NC_000024.10", "NC_012920.1", "NT_187361.1", "NC_000067.7"].map {
                .init(name: $0, length: 10)
            })
        XCTAssertEqual(ncbi.resolve("chr1"), .init(name: "NC_000001.11", length: 10, isAlias: true))
        XCTAssertEqual(ncbi.resolve("X")?.name, "NC_000023.11")
        XCTAssertEqual(ncbi.resolve("chrY")?.name, "NC_000024.10")
        for mito in ["MT", "chrM"] { XCTAssertEqual(ncbi.resolve(mito)?.name, "NC_012920.1", mito) }
        XCTAssertEqual(ncbi.resolve("NT_187361.1")?.isAlias, false)
        XCTAssertNil(ncbi.resolve("2"))
        XCTAssertNil(ncbi.resolve("NC_000025.1"), "not a human chromosome")
        XCTAssertTrue(ChromosomeNames.same("NC_000001.10", "chr1"), "GRCh37's accession version")
        XCTAssertTrue(ChromosomeNames.same("nc_000024", "Y"))
        XCTAssertFalse(ChromosomeNames.same("NC_000067.7", "1"), "mouse chr1 is not human chr1")
        XCTAssertFalse(ChromosomeNames.same("NC_0000011", "11"))
        XCTAssertFalse(ChromosomeNames.same("NC_000001.10", "NC_000001.11"), "GRCh37's chr1 is not GRCh38's")
        XCTAssertTrue(ChromosomeNames.same("NC_000001.11", "nc_000001"), "no version: no build to tell apart")
        XCTAssertFalse(ChromosomeNames.same("NC_000001.8", "NC_000001.9"), "two versions older than GRCh37")
        XCTAssertFalse(ChromosomeNames.same("chrNC_000001.10", "NC_000001.11"))
    }

    /// An accession's version names its build: GRCh38's `NC_000001.11` is not hg19's chr1, whose
    /// coordinates differ. The build of the genome's sequence comes from its own accession, else from
    /// the genome's lengths; where neither tells, any version is aliased.
    func testRefSeqVersionOfAnotherBuildIsNotAliased() throws {
        let hg19 = ChromosomeNames([
            .init(name: "chr1", length: 249_250_621), .init(name: "chr2", length: 243_199_373),
            .init(name: "chrM", length: 16_571),
        ])
        XCTAssertEqual(hg19.resolve("NC_000001.10"), .init(name: "chr1", length: 249_250_621, isAlias: true))
        XCTAssertEqual(hg19.resolve("NC_000002.11")?.name, "chr2")
        XCTAssertEqual(hg19.resolve("NC_000001")?.name, "chr1", "no version, no build to check")
        XCTAssertNil(hg19.buildMismatch("NC_000001.10"))
        XCTAssertNil(hg19.resolve("NC_000001.11"))
        let why = try XCTUnwrap(hg19.buildMismatch("NC_000001.11"))
        XCTAssertEqual(
            why, "NC_000001.11 is chromosome 1 of hg38/GRCh38, and the genome's chr1 is hg19/GRCh37 by its length")
        XCTAssertNil(hg19.resolve("NC_000002.9"), "older than GRCh37")
        XCTAssertEqual(
            hg19.buildMismatch("NC_000002.9"),
            "NC_000002.9 is chromosome 2 of a build other than GRCh37 and GRCh38, and the genome's chr2 is hg19/GRCh37 "
                + "by its length")
        // NC_012920 is the rCRS (16,569 nt); hg19's chrM (16,571 nt) is another sequence.
        XCTAssertNil(hg19.resolve("NC_012920.1"))
        XCTAssertEqual(hg19.buildMismatch("NC_012920.1")?.contains("16569 nt"), true)
        // So is `MT`, Ensembl's and GRCh37's name of the rCRS; `chrM` itself and `M` stay hg19's chrM.
        for name in ["MT", "chrMT", "mt"] {
            XCTAssertNil(hg19.resolve(name), name)
            XCTAssertEqual(
                hg19.buildMismatch(name)?.hasSuffix("is 16571 nt, UCSC hg19's other sequence (NC_001807)"), true)
        }
        XCTAssertEqual(hg19.resolve("M")?.name, "chrM")
        // Only the mitochondrion's `MT`: a contig whose name ends so is not one.
        let contig = ChromosomeNames([.init(name: "Contig_MT", length: 16_571)])
        XCTAssertEqual(contig.resolve("contig_mt")?.name, "Contig_MT")
        XCTAssertNil(hg19.buildMismatch("chr1"))
        XCTAssertNil(hg19.buildMismatch("chr9"), "not in the genome at all: no mismatch to explain")

        let hg38 = ChromosomeNames([.init(name: "1", length: 248_956_422), .init(name: "MT", length: 16_569)])
        XCTAssertEqual(hg38.resolve("NC_000001.11")?.name, "1")
        XCTAssertNil(hg38.resolve("NC_000001.10"))
        XCTAssertEqual(hg38.resolve("NC_012920.1")?.name, "MT")
        let rCRS = ChromosomeNames([.init(name: "chrM", length: 16_569)])
        XCTAssertEqual(
            rCRS.resolve("MT")?.name, "chrM", "the rCRS under UCSC's name, as GRCh37 callers' references had it")

        // A genome of NCBI accessions (lengths of no build): the sequence's own version decides.
        let ncbi = ChromosomeNames([
            .init(name: "NC_000002.11", length: 3_000), .init(name: "NC_000007.13", length: 10),
        ])
        XCTAssertEqual(ncbi.resolve("chr2")?.name, "NC_000002.11")
        XCTAssertEqual(ncbi.resolve("NC_000002.11")?.isAlias, false)
        XCTAssertNil(ncbi.resolve("NC_000002.12"))
        XCTAssertEqual(ncbi.buildMismatch("NC_000002.12")?.hasSuffix("is hg19/GRCh37 by its name"), true)
        XCTAssertEqual(ncbi.resolve("NC_000007")?.name, "NC_000007.13")
        XCTAssertNil(ncbi.resolve("chrNC_000002.12"), "keyed without its chr, checked so too")
        // A sequence of a version older than GRCh37 is compared version to version.
        let old = ChromosomeNames([.init(name: "NC_000001.9", length: 3_000)])
        XCTAssertNil(old.resolve("NC_000001.11"))
        XCTAssertEqual(
            old.buildMismatch("NC_000001.11"),
            "NC_000001.11 is chromosome 1 of hg38/GRCh38, and the genome's NC_000001.9 is a build other than GRCh37 "
                + "and GRCh38 by its name")
        XCTAssertEqual(old.resolve("chr1")?.name, "NC_000001.9")

        // Lengths of no build and UCSC names: nothing tells, so either version is aliased.
        let mini = ChromosomeNames([.init(name: "chr2", length: 3_000)])
        XCTAssertEqual(mini.resolve("NC_000002.11")?.name, "chr2")
        XCTAssertEqual(mini.resolve("NC_000002.12")?.name, "chr2")
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
