import Foundation
import Fusions
import Genome
import SeededRandom
import XCTest

@testable import ExampleData

final class ExampleDataSetTests: XCTestCase {
    func testTheSameSeedGivesTheSameFilesAndAnotherSeedDoesNot() {
        let a = ExampleDataSet(
            seed: 5, chromosomeLength: 60_000, genesPerChromosome: 2, junctionCalls: 4, artefactCalls: 2)
        let b = ExampleDataSet(
            seed: 5, chromosomeLength: 60_000, genesPerChromosome: 2, junctionCalls: 4, artefactCalls: 2)
        let c = ExampleDataSet(
            seed: 6, chromosomeLength: 60_000, genesPerChromosome: 2, junctionCalls: 4, artefactCalls: 2)
        XCTAssertEqual(a.fasta(), b.fasta())
        XCTAssertEqual(a.starFusion(), b.starFusion())
        XCTAssertEqual(a.gtf(), b.gtf())
        XCTAssertNotEqual(a.fasta(), c.fasta())
    }

    func testGeneNamesStayLettersForAnyNumberOfGenes() {
        XCTAssertEqual(
            [0, 1, 25, 26, 27, 701, 702].map(ExampleDataSet.letters), ["A", "B", "Z", "AA", "AB", "ZZ", "AAA"])
    }

    func testSeededGeneratorSequenceIsFixed() {
        // SplitMix64's published first outputs for seed 0: the data set must not drift across platforms.
        var rng = SeededGenerator(seed: 0)
        XCTAssertEqual(rng.next(), 0xE220_A839_7B1D_CDAF)
        XCTAssertEqual(rng.next(), 0x6E78_9E6A_A1B9_65F4)
    }

    func testJunctionCallsHaveSpliceSitesInTheirWindowsAndArtefactsMostlyDoNot() throws {
        let data = ExampleDataSet()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("example-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: folder) }
        try Data(data.fasta()).write(to: URL(fileURLWithPath: folder + "/genome.fa"))
        try data.starFusion().write(toFile: folder + "/calls.tsv", atomically: false, encoding: .utf8)
        let genome = try ReferenceGenome(path: folder + "/genome.fa")
        let reader = try genome.makeReader()

        let calls = try FusionReader(path: folder + "/calls.tsv")
        XCTAssertEqual(calls.format, .starFusion)
        var index = 0
        var canonicalArtefacts = 0
        while let result = try calls.next() {
            guard case .record(let record) = result else { continue }
            let call = data.calls[index]
            index += 1
            XCTAssertEqual(
                record.head,
                Breakpoint(
                    gene: call.head.name, chromosome: call.head.chromosome, position: call.headBreakpoint,
                    strand: call.head.strand))
            let windows = try PreparedWindows.build(for: record, genome: genome, reader: reader).get()
            let canonical = windows.splice.donor == "GT" && windows.splice.acceptor == "AG"
            if call.atExonJunction {
                XCTAssertTrue(canonical, "\(record.name): \(windows.splice)")
            } else if canonical {
                canonicalArtefacts += 1
            }
        }
        XCTAssertEqual(index, data.calls.count)
        XCTAssertLessThan(canonicalArtefacts, 2, "an artefact lands on GT...AG by chance about once in 256")
    }

    /// The feature tracks follow the genes and bases they are made from: every donor and acceptor
    /// breakpoint is an exon base next to an intron base and inside a splice site; every CpG island
    /// meets the criteria it is named for; each track's BED is sorted for tabix.
    func testFeatureTracksFollowTheGenesAndTheBases() throws {
        let data = ExampleDataSet(
            seed: 9, chromosomeCount: 2, chromosomeLength: 120_000, genesPerChromosome: 3, junctionCalls: 2,
            artefactCalls: 0)
        let tracks = data.featureTracks()
        XCTAssertEqual(tracks.map(\.name), ["exon", "intron", "splice_site", "cpg_island"])
        let sets = tracks.map { IntervalSet($0.intervals) }
        let (exon, intron, site) = (sets[0], sets[1], sets[2])
        for gene in data.genes {
            XCTAssertEqual(
                exon.covered(chromosome: gene.chromosome, range: gene.start...gene.end),
                gene.exons.reduce(0) { $0 + $1.count })
            XCTAssertEqual(
                intron.covered(chromosome: gene.chromosome, range: gene.start...gene.end),
                gene.end - gene.start + 1 - gene.exons.reduce(0) { $0 + $1.count })
            let step = gene.strand == .minus ? -1 : 1
            for donor in gene.donorBreakpoints {
                XCTAssertTrue(
                    exon.contains(chromosome: gene.chromosome, position: donor)
                        && intron.contains(chromosome: gene.chromosome, position: donor + step))
                XCTAssertTrue(
                    site.contains(chromosome: gene.chromosome, position: donor)
                        && site.contains(chromosome: gene.chromosome, position: donor + step))
            }
            for acceptor in gene.acceptorBreakpoints {
                XCTAssertTrue(
                    exon.contains(chromosome: gene.chromosome, position: acceptor)
                        && intron.contains(chromosome: gene.chromosome, position: acceptor - step))
            }
        }
        let islands = tracks[3].intervals
        XCTAssertFalse(islands.isEmpty)
        let bases = Dictionary(uniqueKeysWithValues: data.chromosomes.map { ($0.name, $0.bases) })
        for island in islands {
            // Its first 200 nt are the first window merged into it, so they meet the criteria.
            let first = Array(
                try XCTUnwrap(bases[island.chromosome])[(island.range.lowerBound - 1)..<(island.range.lowerBound + 199)]
            )
            let c = first.filter { $0 == UInt8(ascii: "C") }.count
            let g = first.filter { $0 == UInt8(ascii: "G") }.count
            let cpg = zip(first, first.dropFirst()).filter { $0 == (UInt8(ascii: "C"), UInt8(ascii: "G")) }.count
            XCTAssertGreaterThanOrEqual(2 * (c + g), 200)
            XCTAssertGreaterThanOrEqual(Double(cpg * 200) / Double(c * g), 0.6)
        }
        for track in tracks {
            let keys = track.intervals.map { ($0.chromosome, $0.range.lowerBound) }
            XCTAssertTrue(zip(keys, keys.dropFirst()).allSatisfy { $0 <= $1 }, "\(track.name) is sorted for tabix")
            XCTAssertTrue(track.bed.hasPrefix("\(keys[0].0)\t\(keys[0].1 - 1)\t"), track.name)
        }
    }
}
