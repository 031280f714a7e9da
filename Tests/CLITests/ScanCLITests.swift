import Foundation
import TestSupport
import XCTest

/// `fusionai scan` on the real genes of the minichr2 segment (mini hg19): every head exon end x
/// tail exon start of the annotation, the real junctions among them with `predict`'s scores.
final class ScanCLITests: CLITestCase {
    private let gtf = TestData.path("annotation/minichr2.gencode_v19.hg19.gtf")
    private let genome = TestData.path("genome/mini_hg19.fa.gz")

    private func model() throws -> (folder: String, model: String) {
        let folder = try TestData.temporaryDirectory()
        let model = folder + "/m.safetensors"
        try makeSmallModel(model)
        return (folder, model)
    }

    /// A gene's head (exon ends) or tail (exon starts) positions, from the GTF's exon lines and their
    /// `exon_number` order: what `scan` must cover.
    private func boundaries(_ gene: String, heads: Bool) throws -> Set<Int> {
        var transcripts: [String: [(number: Int, start: Int, end: Int, minus: Bool)]] = [:]
        for line in try String(contentsOfFile: gtf, encoding: .utf8).split(separator: "\n") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard f.count == 9, f[2] == "exon", f[8].contains("gene_name \"\(gene)\";") else { continue }
            let attributes = f[8].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            let transcript = try XCTUnwrap(attributes.first { $0.hasPrefix("transcript_id") })
            let number = try XCTUnwrap(attributes.first { $0.hasPrefix("exon_number ") }?.split(separator: " ").last)
            transcripts[transcript, default: []].append(
                (try XCTUnwrap(Int(number)), try XCTUnwrap(Int(f[3])), try XCTUnwrap(Int(f[4])), f[6] == "-"))
        }
        var positions = Set<Int>()
        for exons in transcripts.values where exons.count >= 2 {
            let ordered = exons.sorted { $0.number < $1.number }
            for exon in heads ? ordered.dropLast() : ordered.dropFirst() {
                positions.insert(heads == exon.minus ? exon.start : exon.end)
            }
        }
        return positions
    }

    func testEveryHeadExonEndByTailExonStartWithTheRealJunctionAtPredictsScore() throws {
        let m = try model()
        let real = TestData.path("fusions/minichr2_real_fusions.tsv")
        let predicted = TSVTable(try fusionai(["predict", "-q", "-m", m.model, "-g", genome, real]).stdout)
        XCTAssertEqual(predicted.rows.count, 2)
        for (head, tail, index) in [("PLA2R1", "RBMS1", 0), ("ITGB6", "RBMS1", 1)] {
            let out = m.folder + "/" + head
            let run = try fusionai(["scan", "-a", gtf, "-g", genome, "-m", m.model, head, tail, "-o", out])
            XCTAssertEqual(run.status, 0, run.stderr)
            let table = try TSVTable(path: out + "/scan.tsv")
            XCTAssertEqual(
                table.columns,
                [
                    "Hgene", "Hchr", "Hbp", "Hstrand", "Tgene", "Tchr", "Tbp", "Tstrand", "head_exons",
                    "head_transcripts", "tail_exons", "tail_transcripts", "fusion_positive_prob",
                ])
            let heads = try boundaries(head, heads: true)
            let tails = try boundaries(tail, heads: false)
            XCTAssertEqual(table.rows.count, heads.count * tails.count)
            var pairs = Set<String>()
            for row in table.rows { pairs.insert(row["Hbp"] + ":" + row["Tbp"]) }
            XCTAssertEqual(pairs, Set(heads.flatMap { h in tails.map { "\(h):\($0)" } }))
            // The real junction, scored as predict scores it.
            let known = predicted.rows[index]
            let row = try XCTUnwrap(table.rows.first { $0["Hbp"] == known["Hbp"] && $0["Tbp"] == known["Tbp"] })
            XCTAssertEqual(row["fusion_positive_prob"], known["fusion_positive_prob"])
            XCTAssertEqual(row["Hstrand"], "-")
            let svg = try String(contentsOfFile: out + "/scan.svg", encoding: .utf8)
            XCTAssertTrue(svg.hasPrefix("<svg"))
            XCTAssertGreaterThanOrEqual(svg.components(separatedBy: "<rect").count - 1, table.rows.count)
        }
    }

    func testRegionsSlideTheBreakpointAndGeneNamesMustBeUnambiguous() throws {
        let m = try model()
        let out = m.folder + "/region"
        let run = try fusionai([
            "scan", "-a", gtf, "-g", genome, "-m", m.model, "PLA2R1", "RBMS1", "-o", out,
            "--head-region", "chr2:160,832,570-160,832,589", "--stride", "5",
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        let table = try TSVTable(path: out + "/scan.tsv")
        let tails = try boundaries("RBMS1", heads: false).count
        XCTAssertEqual(table.rows.count, 4 * tails)
        // Batches cut anywhere give the same grid, whichever side's windows are kept (4 heads here;
        // 4 tails with the regions the other way round).
        for (name, regions) in [
            ("heads", ["--head-region", "chr2:160,832,570-160,832,589"]),
            ("tails", ["--tail-region", "chr2:161,159,990-161,160,005"]),
        ] {
            var tables: [String] = []
            for batch in ["1", "7", "64"] {
                let folder = m.folder + "/batch-\(name)-\(batch)"
                let scan = try fusionai(
                    ["scan", "-q", "-a", gtf, "-g", genome, "-m", m.model, "PLA2R1", "RBMS1", "-o", folder]
                        + regions + ["--stride", "5", "--batch-size", batch])
                XCTAssertEqual(scan.status, 0, scan.stderr)
                tables.append(try String(contentsOfFile: folder + "/scan.tsv", encoding: .utf8))
            }
            XCTAssertEqual(Set(tables).count, 1, name)
        }
        XCTAssertEqual(
            try String(contentsOfFile: m.folder + "/batch-heads-64/scan.tsv", encoding: .utf8),
            try String(contentsOfFile: out + "/scan.tsv", encoding: .utf8))
        // PLA2R1 is on -: 5' to 3' is descending.
        var order: [String] = []
        for row in table.rows where !order.contains(row["Hbp"]) { order.append(row["Hbp"]) }
        XCTAssertEqual(order, ["160832585", "160832580", "160832575", "160832570"])
        XCTAssertTrue(table.rows.allSatisfy { $0["head_exons"] == "." && $0["tail_exons"] != "." })
        let off = try fusionai([
            "scan", "-a", gtf, "-g", genome, "-m", m.model, "PLA2R1", "RBMS1", "-o", out, "--head-region", "chr3:1-10",
        ])
        XCTAssertEqual(off.status, 1)
        XCTAssertTrue(off.stderr.contains("PLA2R1 is on chr2"), off.stderr)
        // Regions too wide for one scan are refused before any window is built (memory grew without end).
        let wide = try fusionai([
            "scan", "-a", gtf, "-g", genome, "-m", m.model, "PLA2R1", "RBMS1", "-o", out,
            "--head-region", "chr2:160,700,000-160,900,000", "--tail-region", "chr2:161,100,000-161,200,000",
        ])
        XCTAssertEqual(wide.status, 1, wide.stderr)
        XCTAssertTrue(
            wide.stderr.contains(
                "fusionai scan: error: PLA2R1--RBMS1: 200001 x 100001 breakpoint pairs is more than the 1000000"),
            wide.stderr)
        // One side past the limit alone is refused before its positions are made (a whole chromosome
        // of them filled memory first).
        let chromosome = try fusionai([
            "scan", "-a", gtf, "-g", genome, "-m", m.model, "PLA2R1", "RBMS1", "-o", out, "--head-region",
            "chr2:1-2000001",
        ])
        XCTAssertEqual(chromosome.status, 1, chromosome.stderr)
        XCTAssertTrue(
            chromosome.stderr.contains(
                "--head-region chr2:1-2000001: 2000001 breakpoints at --stride 1 is more than the 1000000 pairs"),
            chromosome.stderr)

        // A second gene called RBMS1: the name is refused and both genes are listed by ID.
        let text = try String(contentsOfFile: gtf, encoding: .utf8)
        let copy = text.split(separator: "\n").filter { $0.contains("gene_name \"RBMS1\";") }.map {
            $0.replacingOccurrences(of: "ENSG00000153250", with: "ENSG99999999999")
        }
        let doubled = m.folder + "/doubled.gtf"
        try (text + copy.joined(separator: "\n") + "\n").write(toFile: doubled, atomically: false, encoding: .utf8)
        let ambiguous = try fusionai(["scan", "-a", doubled, "-g", genome, "-m", m.model, "PLA2R1", "RBMS1", "-o", out])
        XCTAssertEqual(ambiguous.status, 1)
        XCTAssertTrue(ambiguous.stderr.contains("'RBMS1' names 2 genes"), ambiguous.stderr)
        XCTAssertTrue(ambiguous.stderr.contains("ENSG99999999999"), ambiguous.stderr)
        let byID = try fusionai([
            "scan", "-q", "-a", doubled, "-g", genome, "-m", m.model, "PLA2R1", "ENSG99999999999", "-o", out,
        ])
        XCTAssertEqual(byID.status, 0, byID.stderr)
        let unknown = try fusionai(["scan", "-a", gtf, "-g", genome, "-m", m.model, "PLA2R1", "NOPE", "-o", out])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("no gene named 'NOPE'"), unknown.stderr)
    }

    /// The heat map leaves room for its text, as Chromium lays it out: long gene names (GENCODE's
    /// clone-based ones) were cut at the right edge and ran into the colour scale, and a region's
    /// positions were stacked a character a line.
    func testTheHeatMapsTextIsInsideAndNeverOverlaps() throws {
        try skipWithoutChromium()
        let m = try model()
        let renamed = m.folder + "/renamed.gtf"
        try String(contentsOfFile: gtf, encoding: .utf8)
            .replacingOccurrences(of: "gene_name \"PLA2R1\"", with: "gene_name \"RP11-1007O24.3\"")
            .replacingOccurrences(of: "gene_name \"RBMS1\"", with: "gene_name \"CTD-2547L24.3-AS1\"")
            .write(toFile: renamed, atomically: false, encoding: .utf8)
        var figures: [String] = []
        let small = ["--head-region", "chr2:160832570-160832585", "--tail-region", "chr2:161159990-161160005"]
        for (name, region) in [
            ("small", small + ["--stride", "5"]), ("wide", ["--tail-region", "chr2:161,159,900-161,160,900"]),
        ] {
            let out = m.folder + "/" + name
            let run = try fusionai(
                [
                    "scan", "-q", "-a", renamed, "-g", genome, "-m", m.model, "RP11-1007O24.3", "CTD-2547L24.3-AS1",
                    "-o", out,
                ]
                    + region)
            XCTAssertEqual(run.status, 0, run.stderr)
            figures.append(out + "/scan.svg")
        }
        let check = try checkFigures(figures)
        XCTAssertEqual(check.status, 0, check.text)
        XCTAssertEqual(check.text.components(separatedBy: "all inside their figure, none overlapping").count - 1, 2)
    }
}
