import Foundation
import Genome
import TestSupport
import XCTest

@testable import Fusions

/// `scan`'s breakpoints on the real GENCODE genes of the minichr2 segment, against the GTF's own
/// `exon_number` attributes (GENCODE numbers exons 5' to 3' in each transcript) rather than the
/// exons' positions, which the code sorts.
final class ScanSitesTests: XCTestCase {
    private let gtf = TestData.path("annotation/minichr2.gencode_v19.hg19.gtf")

    /// Per gene name: position -> "transcript:exon_number" of every head (or tail) site, read from
    /// the GTF's exon lines by GENCODE's numbering, not by sorting exons as the code does.
    private func expected(heads: Bool) throws -> [String: [Int: Set<String>]] {
        struct Exon {
            let gene: String
            let transcript: String
            let number: Int
            let start: Int
            let end: Int
            let minus: Bool
        }
        var exons: [Exon] = []
        for line in try String(contentsOfFile: gtf, encoding: .utf8).split(separator: "\n") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard f.count == 9, f[2] == "exon" else { continue }
            func attribute(_ key: String) -> String? {
                guard let r = f[8].range(of: key + " ") else { return nil }
                return f[8][r.upperBound...].prefix { $0 != ";" }.replacingOccurrences(of: "\"", with: "")
            }
            exons.append(
                Exon(
                    gene: try XCTUnwrap(attribute("gene_name")), transcript: try XCTUnwrap(attribute("transcript_id")),
                    number: try XCTUnwrap(Int(try XCTUnwrap(attribute("exon_number")))),
                    start: try XCTUnwrap(Int(f[3])), end: try XCTUnwrap(Int(f[4])), minus: f[6] == "-"))
        }
        // The segment cuts some transcripts short (AC009299.2's ENST00000445372.1 keeps exons 3 and 4):
        // an exon's number counts the transcript's exons in the file, ranked by exon_number.
        let numbers = Dictionary(grouping: exons, by: \.transcript).mapValues { $0.map(\.number).sorted() }
        var sites: [String: [Int: Set<String>]] = [:]
        for exon in exons {
            let ranked = numbers[exon.transcript] ?? []
            let count = ranked.count
            let number = (ranked.firstIndex(of: exon.number) ?? -1) + 1
            guard count >= 2, heads ? number < count : number > 1 else { continue }
            // Head: the exon's last base in transcript order; tail: its first.
            let position = heads == exon.minus ? exon.start : exon.end
            sites[exon.gene, default: [:]][position, default: []].insert("\(exon.transcript):\(number)")
        }
        return sites
    }

    func testSitesAreEveryExonEndAndStartWithGENCODEsExonNumbers() throws {
        let models = try GeneModels(gtfPath: gtf)
        let heads = try expected(heads: true)
        let tails = try expected(heads: false)
        var checked = 0
        for model in models.models {
            for (found, wanted) in [
                (ScanSites.heads(of: model), heads[model.gene.name] ?? [:]),
                (ScanSites.tails(of: model), tails[model.gene.name] ?? [:]),
            ] {
                let got = Dictionary(
                    uniqueKeysWithValues: found.sites.map { site in
                        (site.position, Set(site.exons.map { "\($0.transcript):\($0.number)" }))
                    })
                XCTAssertEqual(got, wanted, model.gene.name)
                // 5' to 3': descending positions on -, ascending on +.
                let positions = found.sites.map(\.position)
                XCTAssertEqual(positions, model.gene.strand == .minus ? positions.sorted(by: >) : positions.sorted())
                checked += found.sites.count
            }
            let boundaries = ExonBoundaries(model: model)
            XCTAssertEqual(ScanSites.heads(of: model).sites.map(\.position).sorted(), boundaries.head)
            XCTAssertEqual(ScanSites.tails(of: model).sites.map(\.position).sorted(), boundaries.tail)
        }
        XCTAssertGreaterThan(checked, 100)
        // The real PLA2R1--RBMS1 junction (HCC1395) is among them: PLA2R1 exon 17's end.
        let pla2r1 = try models.gene(named: "PLA2R1")
        let head = try XCTUnwrap(ScanSites.heads(of: pla2r1).sites.first { $0.position == 160_832_579 })
        XCTAssertEqual(Set(head.exons.map(\.number)), [17])
        XCTAssertEqual(ScanSites.heads(of: pla2r1).sites.count, 30)
        XCTAssertEqual(ScanSites.tails(of: try models.gene(named: "RBMS1")).sites.count, 17)
    }

    func testGenesAreFoundByNameOrIDAndAmbiguousNamesListTheirGenes() throws {
        let models = try GeneModels(gtfPath: gtf)
        let byName = try models.gene(named: "RBMS1")
        XCTAssertEqual(try models.gene(named: byName.gene.id).gene, byName.gene)
        XCTAssertEqual(
            try models.gene(named: try XCTUnwrap(GeneAnnotation.unversioned(byName.gene.id))).gene, byName.gene)
        assertThrows(try models.gene(named: "NOPE"), ScanError.self, code: .unknownGene)
        let copy = GeneAnnotation.Gene(
            name: "RBMS1", id: "ENSG_COPY", chromosome: "chr9", start: 1, end: 100, strand: .plus)
        let twice = GeneModels(models: [byName, GeneModels.Model(gene: copy, type: nil, transcripts: [])])
        let error = assertThrows(try twice.gene(named: "RBMS1"), ScanError.self, code: .ambiguousGene)
        XCTAssertTrue(error?.message.contains(byName.gene.id) ?? false)
        XCTAssertTrue(error?.message.contains("ENSG_COPY chr9:1-100 +") ?? false)
    }

    func testRegionsSlideAtTheStrideAndMustLieOnTheGenesChromosome() throws {
        let models = try GeneModels(gtfPath: gtf)
        let minus = try models.gene(named: "PLA2R1")
        XCTAssertEqual(
            try ScanSites.range(
                "chr2:160,800,000-160,800,010", on: minus, length: 243_199_373, option: "--head-region"),
            160_800_000...160_800_010)
        XCTAssertEqual(try ScanSites.range("2:5-9", on: minus, length: 100, option: "--head-region"), 5...9)
        XCTAssertEqual(ScanSites.region(100...110, stride: 3, of: minus).sites.map(\.position), [109, 106, 103, 100])
        XCTAssertTrue(ScanSites.region(100...110, stride: 3, of: minus).sites.allSatisfy(\.exons.isEmpty))
        // Each refusal names the option and what is wrong.
        for (bad, why) in [
            ("chr3:1-5", "--tail-region chr3:1-5 is on chr3, but PLA2R1 is on chr2"),
            ("9-5", "--tail-region 9-5: START 9 is past END 5"), ("0-5", "--tail-region 0-5: START 0 is before base 1"),
            ("1-101", "--tail-region 1-101: END 101 is past the end of chr2 (100 bases)"),
            ("x-5", "--tail-region x-5 is not START-END"), ("5", "--tail-region 5 is not START-END"),
        ] {
            let error = assertThrows(
                try ScanSites.range(bad, on: minus, length: 100, option: "--tail-region"), ScanError.self,
                code: .badRegion)
            XCTAssertTrue(error?.message.hasPrefix(why) ?? false, "\(String(describing: error))")
        }
    }
}
