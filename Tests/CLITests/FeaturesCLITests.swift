import Foundation
import Fusions
import Genome
import Support
import TestSupport
import XCTest

final class FeaturesCLITests: CLITestCase {
    /// With the top-1% regions of `explain` as the feature track, every fusion's top regions are fully
    /// covered and the top-FIS test sees all of them covered.
    func testTopRegionsAsAFeatureAreFullyCoveredAndEnriched() throws {
        let folder = try exampleAndModel(calls: 4)
        let calls = folder + "/ex/fusions.star-fusion.tsv"
        XCTAssertEqual(
            try fusionai([
                "explain", "-q", "-m", folder + "/m.safetensors", "-g", folder + "/ex/genome.fa", calls, "-o",
                folder + "/out",
            ]).status, 0)
        try writeTopRegionsBED(fis: folder + "/out", to: folder + "/top1.bed")
        try "name\tcategory\tpath\nTop1\ttest\t\(folder)/top1.bed\n".write(
            toFile: folder + "/features.tsv", atomically: false, encoding: .utf8)

        let run = try fusionai([
            "features", calls, "--features", folder + "/features.tsv", "--fis", folder + "/out", "-o", folder + "/feat",
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("4 fusion(s) measured (4 with top-FIS regions, 0 skipped)"), run.stderr)
        let coverage = try String(contentsOfFile: folder + "/feat/coverage.tsv", encoding: .utf8).split(separator: "\n")
            .map { $0.split(separator: "\t").map(String.init) }
        XCTAssertEqual(coverage[0][7...8], ["top_covered", "top_positions"])
        XCTAssertEqual(coverage.count, 5)
        for row in coverage.dropFirst() {
            XCTAssertEqual(row[7], "6", "1% of a 600-nt input is 6 positions, all in the track")
            XCTAssertEqual(row[8], "6")
            XCTAssertGreaterThanOrEqual(
                (Int(row[3]) ?? 0) + (Int(row[4]) ?? 0), 6, "a fusion's windows hold its own top regions")
        }
        let enrichment = try String(contentsOfFile: folder + "/feat/enrichment.tsv", encoding: .utf8).split(
            separator: "\n"
        ).map { $0.split(separator: "\t").map(String.init) }
        XCTAssertEqual(enrichment.count, 2)
        XCTAssertEqual(enrichment[1][0...4], ["top_fis_vs_rest", "Top1", "test", "24", "24"])
        XCTAssertEqual(enrichment[1][9], "inf")
        let landscape = try String(contentsOfFile: folder + "/feat/landscape.tsv", encoding: .utf8).split(
            separator: "\n")
        XCTAssertEqual(landscape.count, 1 + 100, "50 bins per window, two windows")
        for figure in ["landscape.svg", "enrichment.svg"] {
            XCTAssertTrue(
                try String(contentsOfFile: folder + "/feat/" + figure, encoding: .utf8).hasPrefix("<svg"), figure)
        }
        // Over the top-FIS positions only, the feature made of them covers all of them, bin by bin.
        let top = try String(contentsOfFile: folder + "/feat/landscape_top.tsv", encoding: .utf8).split(separator: "\n")
            .map { $0.split(separator: "\t").map(String.init) }
        XCTAssertEqual(top[0][5...7], ["top_positions", "top_covered", "top_covered_fraction"])
        XCTAssertEqual(top.dropFirst().reduce(0) { $0 + (Int($1[5]) ?? 0) }, 24)
        for row in top.dropFirst() {
            XCTAssertEqual(row[6], row[5])
            XCTAssertEqual(row[7], row[5] == "0" ? "NA" : "1.0")
        }
        // Per explained fusion: its features along the input; the strips show what the 600-nt model
        // saw (300 nt of each window), where all 6 top positions lie.
        let tracks = try FileManager.default.contentsOfDirectory(atPath: folder + "/feat/tracks").sorted()
        XCTAssertEqual(tracks.filter { $0.hasSuffix(".features.tsv") }.count, 4, "\(tracks)")
        for name in tracks where name.hasSuffix(".features.svg") {
            let svg = try String(contentsOfFile: folder + "/feat/tracks/" + name, encoding: .utf8)
            XCTAssertTrue(
                svg.contains("FIS and genomic features along the model input (central 300 nt of each window"), name)
            XCTAssertTrue(svg.contains("Top1 (test): 6 nt"), name)
        }
        for name in tracks where name.hasSuffix(".features.tsv") {
            let rows = try String(contentsOfFile: folder + "/feat/tracks/" + name, encoding: .utf8).split(
                separator: "\n"
            ).map { $0.split(separator: "\t") }
            XCTAssertEqual(
                rows[0].joined(separator: ","), "feature,category,part,input_start,input_end,chromosome,start,end")
            // Input and genome spans of every segment are the same length.
            for row in rows.dropFirst() {
                XCTAssertEqual((Int(row[4]) ?? 0) - (Int(row[3]) ?? 0), (Int(row[7]) ?? 0) - (Int(row[6]) ?? 1), name)
            }
            XCTAssertGreaterThanOrEqual(
                rows.dropFirst().reduce(0) { $0 + (Int($1[4]) ?? 0) - (Int($1[3]) ?? 0) }, 6, name)
        }

        // Another input whose first row names the same genes (so the same ID), 50 kb away: refused,
        // not measured against the regions of other breakpoints.
        var lines = try String(contentsOfFile: calls, encoding: .utf8).split(separator: "\n").map(String.init)
        var fields = lines[1].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        let left = try XCTUnwrap(fields.firstIndex { $0.hasPrefix("chr") && $0.split(separator: ":").count == 3 })
        let parts = fields[left].split(separator: ":")
        fields[left] = "\(parts[0]):\((Int(parts[1]) ?? 0) + 50_000):\(parts[2])"
        lines[1] = fields.joined(separator: "\t")
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: folder + "/moved.tsv", atomically: false, encoding: .utf8)
        let other = try fusionai([
            "features", folder + "/moved.tsv", "--features", folder + "/features.tsv", "--fis", folder + "/out", "-o",
            folder + "/feat2",
        ])
        XCTAssertEqual(other.status, 1, other.stderr)
        XCTAssertTrue(other.stderr.contains("outside the head window of row 1 of \(folder)/moved.tsv"), other.stderr)
    }

    /// A tabix-indexed track is read by region when the windows are few against its lines, and
    /// gives the same coverage as the same track read whole; the example's small tracks are read
    /// whole (12 windows cost more queries than their ~100 lines), and every call at an exon
    /// junction has exon bases in both windows.
    func testIndexedTracksAreReadByRegionWhenThatIsCheaper() throws {
        let folder = try TestData.temporaryDirectory()
        XCTAssertEqual(
            try fusionai(["example", "-q", "-o", folder + "/ex", "--calls", "6", "--artefact-fraction", "0"]).status, 0)
        let calls = folder + "/ex/fusions.star-fusion.tsv"
        let own = try fusionai(["features", calls, "--features", folder + "/ex/features.tsv", "-o", folder + "/own"])
        XCTAssertEqual(own.status, 0, own.stderr)
        XCTAssertTrue(own.stderr.contains("4 feature track(s) from \(folder)/ex/features.tsv\n"), own.stderr)
        let coverage = try String(contentsOfFile: folder + "/own/coverage.tsv", encoding: .utf8).split(separator: "\n")
            .dropFirst().map { $0.split(separator: "\t") }
        let exon = coverage.filter { $0[2] == "exon" }
        XCTAssertEqual(exon.count, 6)
        for row in exon { XCTAssertTrue((Int(row[3]) ?? 0) > 0 && (Int(row[4]) ?? 0) > 0, "\(row)") }

        // 6,000 sorted 50-nt intervals, one every 200 nt of the three example chromosomes: enough
        // lines for the 12 windows to be queried (12 x 256 < 6,000).
        let bed = (1...3).flatMap { c in (0..<2_000).map { "chr\(c)\t\($0 * 200)\t\($0 * 200 + 50)\n" } }.joined()
        try bed.write(toFile: folder + "/dense.bed", atomically: false, encoding: .utf8)
        try OutputFile.write(bed, to: folder + "/dense.bed.gz")
        try TabixFile.buildIndex(bedPath: folder + "/dense.bed.gz")
        var outputs: [String] = []
        for (name, path) in [("plain", "dense.bed"), ("indexed", "dense.bed.gz")] {
            try "name\tcategory\tpath\ndense\ttest\t\(path)\n".write(
                toFile: folder + "/\(name).tsv", atomically: false, encoding: .utf8)
            let run = try fusionai([
                "features", calls, "--features", folder + "/\(name).tsv", "-o", folder + "/" + name,
            ])
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertEqual(
                run.stderr.contains("(1 read by region through tabix indexes)"), name == "indexed", run.stderr)
            outputs.append(try String(contentsOfFile: folder + "/\(name)/coverage.tsv", encoding: .utf8))
        }
        XCTAssertEqual(outputs[0], outputs[1])
        XCTAssertTrue(outputs[0].contains("\tdense\t2500\t2500\t"), "50 of every 200 nt of both windows")
    }

    func testWithoutExplainOutputsItWarnsAndBadOptionsExit64() throws {
        let folder = try TestData.temporaryDirectory()
        XCTAssertEqual(try fusionai(["example", "-q", "-o", folder + "/ex", "--calls", "2"]).status, 0)
        try "chr1\t0\t100\n".write(toFile: folder + "/a.bed", atomically: false, encoding: .utf8)
        try "name\tcategory\tpath\nA\tx\t\(folder)/a.bed\n".write(
            toFile: folder + "/features.tsv", atomically: false, encoding: .utf8)
        let calls = folder + "/ex/fusions.star-fusion.tsv"
        // A missing explain folder is an error (a typo, most likely); one explained from other rows a warning.
        let nowhere = try fusionai([
            "features", calls, "--features", folder + "/features.tsv", "--fis", folder + "/nowhere", "-o",
            folder + "/feat",
        ])
        XCTAssertEqual(nowhere.status, 1, nowhere.stderr)
        XCTAssertTrue(nowhere.stderr.contains("error: \(folder)/nowhere: "), nowhere.stderr)
        try FileManager.default.createDirectory(atPath: folder + "/other", withIntermediateDirectories: true)
        try "fraction\tpart\tchrom\tstart\tend\n".write(
            toFile: folder + "/other/row9_X--Y.top_regions.tsv", atomically: false, encoding: .utf8)
        try "id\tfusion\nrow9_X--Y\tX--Y\n".write(
            toFile: folder + "/other/summary.tsv", atomically: false, encoding: .utf8)
        let run = try fusionai([
            "features", calls, "--features", folder + "/features.tsv", "--fis", folder + "/other", "-o",
            folder + "/feat",
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("was it explained from this file?"), run.stderr)
        XCTAssertEqual(
            try fusionai([
                "features", calls, "--features", folder + "/features.tsv", "--bins", "3", "-o", folder + "/feat",
            ]).status, 64)
        // A track of another genome's names, and an empty one, cover nothing: said, not silent zeros.
        try "scaffold_9\t0\t100\nscaffold_10\t5\t9\n".write(
            toFile: folder + "/b.bed", atomically: false, encoding: .utf8)
        try "track name=empty\n".write(toFile: folder + "/c.bed", atomically: false, encoding: .utf8)
        try "name\tcategory\tpath\nA\tx\t\(folder)/a.bed\nB\tx\t\(folder)/b.bed\nC\tx\t\(folder)/c.bed\n".write(
            toFile: folder + "/three.tsv", atomically: false, encoding: .utf8)
        let foreign = try fusionai(["features", calls, "--features", folder + "/three.tsv", "-o", folder + "/feat"])
        XCTAssertEqual(foreign.status, 0, foreign.stderr)
        XCTAssertFalse(foreign.stderr.contains("track A "), foreign.stderr)
        XCTAssertTrue(
            foreign.stderr.contains("track B (\(folder)/b.bed) names none of the fusions' chromosomes"), foreign.stderr)
        XCTAssertTrue(foreign.stderr.contains("the track's scaffold_10, scaffold_9)"), foreign.stderr)
        XCTAssertTrue(foreign.stderr.contains("track C (\(folder)/c.bed) holds no interval"), foreign.stderr)
        let missing = try fusionai(["features", calls, "--features", folder + "/missing.tsv", "-o", folder + "/feat"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("missing.tsv"), missing.stderr)
    }
}
