import Foundation
import Genome
import Motifs
import TestSupport
import XCTest

final class MotifsCLITests: CLITestCase {
    static let jaspar = TestData.path("motifs/JASPAR2024_CORE_vertebrates.meme")

    /// A query file holding CTCF between uniform flanks: TOMTOM's header, CTCF first, q < 0.05.
    func testMatchWritesTOMTOMColumnsWithThePlantedMotifFirst() throws {
        let folder = try TestData.temporaryDirectory()
        let uniform = String(repeating: "0.25 0.25 0.25 0.25\n", count: 2)
        let jaspar = try String(contentsOfFile: Self.jaspar, encoding: .utf8)
        let start = try XCTUnwrap(jaspar.range(of: "MOTIF MA0139.2 CTCF\n"))
        let block = jaspar[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
            .dropFirst().prefix(15).joined(separator: "\n")
        // Rows that do not sum to 1 (counts) are rescaled with a warning.
        let query =
            "MEME version 4\n\nMOTIF planted\nletter-probability matrix: w= 19\n" + uniform + block + "\n"
            + uniform + "2 2 2 2\n2 2 2 2\n"
        try query.replacingOccurrences(of: "w= 19", with: "w= 21").write(
            toFile: folder + "/q.meme", atomically: false, encoding: .utf8)
        let run = try fusionai([
            "motifs", "match", folder + "/q.meme", "--database", Self.jaspar, "-o", folder + "/t.tsv",
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("2 matrix row(s) did not sum to 1"), run.stderr)
        let table = try TSVTable(path: folder + "/t.tsv")
        XCTAssertEqual(
            table.columns,
            [
                "Query_ID", "Target_ID", "Optimal_offset", "p-value", "E-value", "q-value", "Overlap",
                "Query_consensus",
                "Target_consensus", "Orientation",
            ])
        let top = try XCTUnwrap(table.rows.first)
        XCTAssertEqual(top["Target_ID"], "MA0139.2")
        XCTAssertEqual(top["Optimal_offset"], "-2")
        XCTAssertEqual(top["Orientation"], "+")
        XCTAssertEqual(top["Overlap"], "15")
        XCTAssertLessThan(try XCTUnwrap(Double(top["q-value"])), 0.05)
        XCTAssertEqual(top["Query_consensus"], "NNRCCACYAGGGGGCGCNNNN")
        XCTAssertTrue(table.rows.allSatisfy { Double($0["q-value"]).map { $0 <= 0.5 } ?? false })

        let bad = try fusionai(["motifs", "match", Self.jaspar, "--database", folder + "/t.tsv"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("t.tsv:1:"), bad.stderr)

        // A query file without motifs (seqlets found no pattern of that sign): an empty table, not a
        // failed workflow; an empty database is still an error.
        try "MEME version 4\n\nALPHABET= ACGT\n".write(
            toFile: folder + "/none.meme", atomically: false, encoding: .utf8)
        let empty = try fusionai(["motifs", "match", folder + "/none.meme", "--database", Self.jaspar, "-o", "-"])
        XCTAssertEqual(empty.status, 0, empty.stderr)
        XCTAssertTrue(empty.stderr.contains("holds no motifs, so there is nothing to match"), empty.stderr)
        XCTAssertEqual(TSVTable(empty.stdout).rows.count, 0)
        let noDatabase = try fusionai(["motifs", "match", folder + "/q.meme", "--database", folder + "/none.meme"])
        XCTAssertEqual(noDatabase.status, 1)
        XCTAssertTrue(noDatabase.stderr.contains("holds no MOTIF block"), noDatabase.stderr)
    }

    /// Sites found in prepared windows lie in genome coordinates: the genome's bases at each BED
    /// interval, read on the site's strand, are the matched sequence; the BED works as a
    /// `features` track; and `fusionai motifs` without a subcommand still reads filters.
    /// A filter that never fires (its weights zeroed here) has no sites: it is listed in motifs.tsv
    /// with 0 sites and said, not written as a uniform motif with a made-up site count.
    func testFiltersThatNeverFireAreListedNotWrittenAsUniformMotifs() throws {
        let folder = try exampleAndModel(calls: 6)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: folder + "/m.safetensors"))
        let length = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let header = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: bytes.subdata(in: 8..<(8 + length))) as? [String: Any])
        let kernel = try XCTUnwrap(header["conv2d_1/kernel"] as? [String: Any])
        XCTAssertEqual(kernel["shape"] as? [Int], [20, 4, 1, 8])
        let offsets = try XCTUnwrap(kernel["data_offsets"] as? [Int])
        // [20, 4, 1, 8] row-major: filter 3's weights are every 8th float from the third.
        for i in stride(from: 2, to: (offsets[1] - offsets[0]) / 4, by: 8) {
            let at = 8 + length + offsets[0] + 4 * i
            bytes.replaceSubrange(at..<(at + 4), with: [0, 0, 0, 0])
        }
        try bytes.write(to: URL(fileURLWithPath: folder + "/dead.safetensors"))
        let out = folder + "/filters"
        let run = try fusionai([
            "motifs", "filters", "-m", folder + "/dead.safetensors", "--sequences",
            folder + "/ex/fusions.star-fusion.tsv",
            "-g", folder + "/ex/genome.fa", "-o", out,
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("1 of 8 filter(s) never passed the threshold on these sequences (filter3)"))
        XCTAssertTrue(run.stderr.contains("7 filter motif(s)"), run.stderr)
        let table = try TSVTable(path: out + "/motifs.tsv")
        XCTAssertEqual(table.rows.count, 8)
        let row = try XCTUnwrap(table.rows.first { $0["filter"] == "filter3" })
        XCTAssertEqual(row["sites"], "0")
        XCTAssertEqual(row["consensus"], "NA")
        let meme = try MEMEFile.read(path: out + "/motifs.meme")
        XCTAssertEqual(meme.motifs.count, 7)
        XCTAssertFalse(meme.motifs.contains { $0.id == "filter3" })
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/logos/filter3.svg"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/logos/filter1.svg"))
        // From the weights alone nothing is measured: NA, not 0 sites.
        let weights = try fusionai(["motifs", "filters", "-m", folder + "/m.safetensors", "-o", folder + "/w"])
        XCTAssertEqual(weights.status, 0, weights.stderr)
        let measured = try TSVTable(path: folder + "/w/motifs.tsv")
        XCTAssertEqual(Set(measured.column("sites")), ["NA"])
        XCTAssertEqual(Set(measured.column("max_activation")), ["NA"])
    }

    func testScanPlacesSitesOnTheGenome() throws {
        let folder = try TestData.temporaryDirectory()
        XCTAssertEqual(try fusionai(["example", "-q", "-o", folder + "/ex", "--calls", "4"]).status, 0)
        let genomePath = folder + "/ex/genome.fa"
        XCTAssertEqual(
            try fusionai([
                "prepare", "-q", "-g", genomePath, folder + "/ex/fusions.star-fusion.tsv", "-o", folder + "/p.tsv",
            ]).status, 0)
        let run = try fusionai([
            "motifs", "scan", folder + "/p.tsv", "--motifs", Self.jaspar, "--motif", "MA0139.2", "--motif", "Arnt",
            "--threshold", "1e-3", "-o", folder + "/sites.bed",
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        let lines = try String(contentsOfFile: folder + "/sites.bed", encoding: .utf8).split(separator: "\n")
        XCTAssertTrue(lines[0].hasPrefix("#chrom\tstart\tend\tname\tscore\tstrand\tmotif_score\tp_value"))
        let rows = lines.dropFirst().map { $0.split(separator: "\t").map(String.init) }
        XCTAssertGreaterThan(rows.count, 20)
        XCTAssertEqual(Set(rows.map { $0[3] }), ["MA0139.2", "MA0004.1"])
        XCTAssertEqual(Set(rows.map { $0[9] }), ["head", "tail"])
        let reader = try ReferenceGenome(path: genomePath).makeReader()
        for row in rows {
            let start = try XCTUnwrap(Int(row[1]))
            let end = try XCTUnwrap(Int(row[2]))
            var bases = try reader.bases(row[0], from: start, to: end).map { $0 & ~0x20 }
            if row[5] == "-" { Nucleotides.reverseComplement(&bases) }
            XCTAssertEqual(String(decoding: bases, as: UTF8.self), row[10].uppercased(), row.joined(separator: " "))
            XCTAssertLessThanOrEqual(try XCTUnwrap(Double(row[7])), 1e-3)
        }
        XCTAssertEqual(
            rows.map { [$0[0], $0[1]] },
            rows.map { [$0[0], $0[1]] }.sorted { ($0[0], Int($0[1]) ?? 0) < ($1[0], Int($1[1]) ?? 0) })

        try "name\tcategory\tpath\nsites\tmotifs\t\(folder)/sites.bed\n".write(
            toFile: folder + "/features.tsv", atomically: false, encoding: .utf8)
        let features = try fusionai([
            "features", "-q", folder + "/p.tsv", "--features", folder + "/features.tsv", "-o", folder + "/feat",
        ])
        XCTAssertEqual(features.status, 0, features.stderr)

        let none = try fusionai(["motifs", "scan", folder + "/p.tsv", "--motifs", Self.jaspar, "--motif", "NoSuch"])
        XCTAssertEqual(none.status, 1)

        // A data row not made by prepare whose head window reaches past the chromosome's start: its
        // sites before base 1 are left out and counted (they were BED lines with negative starts).
        let prepared = try String(contentsOfFile: folder + "/p.tsv", encoding: .utf8).split(separator: "\n")
        var fields = prepared[1].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        fields[2] = "100"
        try (String(prepared[0]) + "\n" + fields.joined(separator: "\t") + "\n").write(
            toFile: folder + "/edge.tsv", atomically: false, encoding: .utf8)
        let edge = try fusionai([
            "motifs", "scan", folder + "/edge.tsv", "--motifs", Self.jaspar, "--motif", "Arnt", "--threshold", "1e-2",
            "-o", folder + "/edge.bed",
        ])
        XCTAssertEqual(edge.status, 0, edge.stderr)
        XCTAssertTrue(edge.stderr.contains("lie before base 1 of their chromosome"), edge.stderr)
        let starts = try String(contentsOfFile: folder + "/edge.bed", encoding: .utf8).split(separator: "\n")
            .dropFirst().compactMap { $0.split(separator: "\t").dropFirst().first.flatMap { Int($0) } }
        XCTAssertFalse(starts.isEmpty)
        XCTAssertTrue(starts.allSatisfy { $0 >= 0 }, "\(starts.filter { $0 < 0 })")

        // A motif of 0 sites is refused, naming the file and line (it made every score 0, or 0/0 and a
        // trap with --pseudocount 0).
        let meme =
            "MEME version 4\n\nALPHABET= ACGT\n\nMOTIF zero\nletter-probability matrix: w= 2 nsites= 0\n"
            + "1 0 0 0\n0 1 0 0\n"
        try meme.write(toFile: folder + "/zero.meme", atomically: false, encoding: .utf8)
        let zero = try fusionai([
            "motifs", "scan", folder + "/p.tsv", "--motifs", folder + "/zero.meme", "--pseudocount", "0",
            "-o", folder + "/zero.bed",
        ])
        XCTAssertEqual(zero.status, 1, zero.stderr)
        XCTAssertTrue(
            zero.stderr.contains("zero.meme:6: motif zero: nsites= 0.0 is not a number of sites"), zero.stderr)
    }
}
