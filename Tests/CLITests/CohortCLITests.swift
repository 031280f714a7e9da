import Foundation
import SeededRandom
import TestSupport
import XCTest

/// A three-sample cohort made from `fusionai example`'s calls, in two callers' formats:
///
/// | sample | STAR-Fusion file | Arriba file |
/// |---|---|---|
/// | S1 | E1 E2 E3 | E1 E4 |
/// | S2 | E1 E2 E5 | |
/// | S3 | | E1 E3 E6 |
///
/// E1..E6 are six example calls with distinct breakpoints and gene pairs, so by hand: 11 calls,
/// 6 unique pairs; E1 in 3 samples by 2 callers, E2 in 2 by 1, E3 in 2 by 2, E4, E5, E6 in 1 each.
struct CohortFixture {
    /// One example call: its STAR-Fusion row, and its genes and breakpoints.
    struct Call {
        let starFusionRow: String
        let headGene: String
        let tailGene: String
        let head: (chromosome: String, position: Int, strand: String)
        let tail: (chromosome: String, position: Int, strand: String)
    }

    let folder: String
    let calls: [Call]
    var sheet: String { folder + "/cohort/samples.tsv" }
    var genome: String { folder + "/ex/genome.fa" }
    var model: String { folder + "/m.safetensors" }
    static let arribaHeader =
        "#gene1\tgene2\tstrand1(gene/fusion)\tstrand2(gene/fusion)\tbreakpoint1\tbreakpoint2\tsite1\tsite2\t"
        + "type\tsplit_reads1\tsplit_reads2\tdiscordant_mates\tcoverage1\tcoverage2\tconfidence\n"

    /// An example call as Arriba writes it (gene1 the 5' partner; gene and fusion strands alike).
    static func arribaRow(_ c: Call) -> String {
        [
            c.headGene, c.tailGene, "\(c.head.strand)/\(c.head.strand)", "\(c.tail.strand)/\(c.tail.strand)",
            "\(c.head.chromosome):\(c.head.position)", "\(c.tail.chromosome):\(c.tail.position)", "splice-site",
            "splice-site", "translocation", "5", "5", "1", "10", "10", "high",
        ].joined(separator: "\t") + "\n"
    }

    /// Which example call each sample's files hold: (sample, format, calls).
    static let design: [(sample: String, format: String, calls: [Int])] = [
        ("S1", "star-fusion", [0, 1, 2]), ("S1", "arriba", [0, 3]), ("S2", "star-fusion", [0, 1, 4]),
        ("S3", "arriba", [0, 2, 5]),
    ]
}

extension CLITestCase {
    /// The example data for `exampleCalls` calls, a small untrained model, and the three-sample
    /// cohort of ``CohortFixture`` (its sheet in `cohort/samples.tsv`, files beside it).
    func cohortFixture(exampleCalls: Int = 30) throws -> CohortFixture {
        let folder = try exampleAndModel(calls: exampleCalls)
        let text = try String(contentsOfFile: folder + "/ex/fusions.star-fusion.tsv", encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        let header = lines.removeFirst()
        var calls: [CohortFixture.Call] = []
        var seen = Set<String>()
        for line in lines {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let left = f[5].split(separator: ":").map(String.init)
            let right = f[7].split(separator: ":").map(String.init)
            let headGene = String(f[4].prefix { $0 != "^" })
            let tailGene = String(f[6].prefix { $0 != "^" })
            guard seen.insert(headGene + "--" + tailGene).inserted, seen.insert(f[5] + f[7]).inserted else { continue }
            calls.append(
                CohortFixture.Call(
                    starFusionRow: line, headGene: headGene, tailGene: tailGene,
                    head: (left[0], Int(left[1]) ?? 0, left[2]), tail: (right[0], Int(right[1]) ?? 0, right[2])))
            if calls.count == 7 { break }
        }
        // The seventh is a spare, in no file.
        XCTAssertEqual(calls.count, 7)
        let cohort = folder + "/cohort"
        try FileManager.default.createDirectory(atPath: cohort, withIntermediateDirectories: true)
        var sheet = "sample\tpath\tformat\n"
        for (n, file) in CohortFixture.design.enumerated() {
            let name = "\(file.sample).\(file.format).tsv"
            let body =
                file.format == "arriba"
                ? CohortFixture.arribaHeader + file.calls.map { CohortFixture.arribaRow(calls[$0]) }.joined()
                : header + "\n" + file.calls.map { calls[$0].starFusionRow + "\n" }.joined()
            try body.write(toFile: cohort + "/" + name, atomically: false, encoding: .utf8)
            // The format column is given for one file and detected for the others.
            sheet += "\(file.sample)\t\(name)\t\(n == 0 ? file.format : "")\n"
        }
        try sheet.write(toFile: cohort + "/samples.tsv", atomically: false, encoding: .utf8)
        return CohortFixture(folder: folder, calls: calls)
    }

    /// `fusionai cohort` on the fixture into `output` with the score cache `cache`.
    func cohortArguments(_ fixture: CohortFixture, output: String, cache: String, sheet: String? = nil) -> [String] {
        [
            "cohort", "--samples", sheet ?? fixture.sheet, "-g", fixture.genome, "-m", fixture.model, "--cache", cache,
            "--threshold", "0", "--explain-max", "0", "--threads", "1", "-o", output,
        ]
    }

    func read(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }
}

final class CohortCLITests: CLITestCase {
    func testThreeSampleCohortCountsByHandAndEachPairScoredOnce() throws {
        let fixture = try cohortFixture()
        let out = fixture.folder + "/out"
        let cache = fixture.folder + "/cache"
        let first = try fusionai(
            cohortArguments(fixture, output: out, cache: cache).dropLast(4) + ["--explain-max", "2", "-o", out])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(
            first.stderr.contains("6 unique pair(s): 6 scored by the model, 0 from the score cache"), first.stderr)
        XCTAssertTrue(first.stderr.contains("11 call(s) of 3 sample(s) make 6 unique breakpoint pair(s)"), first.stderr)

        let cohort = try TSVTable(path: out + "/cohort.tsv")
        XCTAssertEqual(
            cohort.columns,
            [
                "Hgene", "Hchr", "Hbp", "Hstrand", "Tgene", "Tchr", "Tbp", "Tstrand", "samples", "sample_count",
                "callers", "caller_count", "fusion_positive_prob", "call",
            ])
        XCTAssertEqual(cohort.rows.count, 6)
        let expected: [(samples: String, callers: String)] = [
            ("S1,S2,S3", "arriba,star-fusion"), ("S1,S2", "star-fusion"), ("S1,S3", "arriba,star-fusion"),
            ("S1", "arriba"), ("S2", "star-fusion"), ("S3", "arriba"),
        ]
        // Each example call's pair: found by its breakpoints, genes as both callers name them.
        var rowOfCall: [Int] = []
        for (i, call) in fixture.calls.prefix(6).enumerated() {
            guard
                let r = cohort.rows.firstIndex(where: {
                    $0["Hchr"] == call.head.chromosome && $0["Hbp"] == String(call.head.position)
                        && $0["Tbp"] == String(call.tail.position) && $0["Hstrand"] == call.head.strand
                })
            else { return XCTFail("no cohort row for example call \(i + 1)") }
            rowOfCall.append(r)
            let row = cohort.rows[r]
            XCTAssertEqual([row["Hgene"], row["Tgene"]], [call.headGene, call.tailGene])
            XCTAssertEqual(row["samples"], expected[i].samples, "E\(i + 1)")
            XCTAssertEqual(row["sample_count"], String(expected[i].samples.split(separator: ",").count))
            XCTAssertEqual(row["callers"], expected[i].callers, "E\(i + 1)")
            XCTAssertEqual(row["caller_count"], String(expected[i].callers.split(separator: ",").count))
            XCTAssertEqual(row["call"], "positive", "threshold 0")
        }
        XCTAssertEqual(Set(rowOfCall.prefix(6)).count, 6)

        // The scores are predict's for the same calls (scored from the genome on the fly).
        let predicted = try fusionai([
            "predict", "-m", fixture.model, "-g", fixture.genome, fixture.folder + "/cohort/S1.star-fusion.tsv",
            "--threads", "1",
        ])
        XCTAssertEqual(predicted.status, 0, predicted.stderr)
        let predictions = TSVTable(predicted.stdout)
        for (k, i) in [0, 1, 2].enumerated() {
            XCTAssertEqual(
                cohort.rows[rowOfCall[i]]["fusion_positive_prob"], predictions.rows[k]["fusion_positive_prob"])
        }

        // calls.tsv: one row per input call, with its file's line and its pair's row and score.
        let calls = try TSVTable(path: out + "/calls.tsv")
        XCTAssertEqual(calls.rows.count, 11)
        for (file, design) in CohortFixture.design.enumerated() {
            let rows = calls.rows.filter {
                $0["sample"] == design.sample && $0["caller"] == design.format
                    && $0["source"] == "\(design.sample).\(design.format).tsv"
            }
            XCTAssertEqual(
                rows.map { $0["line"] }, ["2", "3", "4"].prefix(design.calls.count).map { $0 }, "file \(file)")
            for (row, i) in zip(rows, design.calls) {
                XCTAssertEqual(row["pair"], String(rowOfCall[i] + 1))
                XCTAssertEqual(row["fusion_positive_prob"], cohort.rows[rowOfCall[i]]["fusion_positive_prob"])
            }
        }
        // genes.tsv: six gene pairs, E1's first with 3 samples, then E2's and E3's with 2.
        let genes = try TSVTable(path: out + "/genes.tsv")
        XCTAssertEqual(genes.rows.count, 6)
        XCTAssertEqual(
            [genes.rows[0]["Hgene"], genes.rows[0]["Tgene"]], [fixture.calls[0].headGene, fixture.calls[0].tailGene])
        XCTAssertEqual(genes.column("sample_count"), ["3", "2", "2", "1", "1", "1"])
        XCTAssertEqual(genes.rows[0]["calls"], "4")
        XCTAssertEqual(genes.rows[0]["breakpoint_pairs"], "1")
        let samples = try TSVTable(path: out + "/samples.tsv")
        XCTAssertEqual(samples.column("status"), ["ok", "ok", "ok", "ok"])
        XCTAssertEqual(samples.column("calls"), ["3", "2", "3", "3"])

        // The report: the cohort view and two explained pairs, self-contained.
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        for id in ["cohort-heatmap", "cohort-recurrence", "cohort-scores"] {
            XCTAssertTrue(html.contains("id=\"\(id)\""), id)
        }
        XCTAssertEqual(html.components(separatedBy: "<div class=\"figure\" id=\"row").count - 1, 2)
        XCTAssertFalse(html.contains("src=") || html.contains("<link") || html.contains("@import"))
        XCTAssertNil(html.replacingOccurrences(of: "http://www.w3.org/", with: "").range(of: "http"))

        // A rerun scores nothing: every pair comes from the cache, to the same bytes.
        let saved = try read(out + "/cohort.tsv")
        let again = try fusionai(cohortArguments(fixture, output: out, cache: cache))
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(
            again.stderr.contains("6 unique pair(s): 0 scored by the model, 6 from the score cache"), again.stderr)
        XCTAssertEqual(try read(out + "/cohort.tsv"), saved)

        // An overlapping cohort (S2 alone) in another folder, same cache: nothing scored.
        let sheet = fixture.folder + "/cohort/s2.tsv"
        try "sample\tpath\nS2\tS2.star-fusion.tsv\n".write(toFile: sheet, atomically: false, encoding: .utf8)
        let overlap = try fusionai(cohortArguments(fixture, output: fixture.folder + "/s2", cache: cache, sheet: sheet))
        XCTAssertEqual(overlap.status, 0, overlap.stderr)
        XCTAssertTrue(overlap.stderr.contains("3 unique pair(s): 0 scored by the model, 3 from the score cache"))
    }

    func testStagesRunAloneAndAChunkScoredForOtherPairsIsRefused() throws {
        let fixture = try cohortFixture()
        let out = fixture.folder + "/out"
        let layout = ["--samples", fixture.sheet, "-o", out]
        for sample in ["S1", "S2", "S3"] {
            XCTAssertEqual(try fusionai(["cohort", "sample", "--sample", sample] + layout).status, 0)
        }
        let pairs = try fusionai(["cohort", "pairs", "--chunk-size", "4"] + layout)
        XCTAssertTrue(pairs.stderr.contains("make 6 unique breakpoint pair(s), 2 chunk(s)"), pairs.stderr)
        let score = [
            "cohort", "score", "-g", fixture.genome, "-m", fixture.model, "--cache", fixture.folder + "/c", "-o", out,
        ]
        XCTAssertEqual(try fusionai(score + ["--chunk", "chunk-1"]).status, 0)
        // The merge needs every chunk.
        let early = try fusionai(["cohort", "merge"] + layout)
        XCTAssertEqual(early.status, 1)
        XCTAssertTrue(early.stderr.contains("chunk-2.tsv: is missing: run `fusionai cohort score --chunk chunk-2`"))
        XCTAssertEqual(try fusionai(score + ["--chunk", "chunk-2"]).status, 0)
        XCTAssertEqual(try fusionai(["cohort", "merge"] + layout).status, 0)
        XCTAssertEqual(try TSVTable(path: out + "/cohort.tsv").rows.count, 6)

        // S3's last call becomes the spare: still 6 pairs, but not the ones chunk-2 scored.
        let path = fixture.folder + "/cohort/S3.arriba.tsv"
        let text = CohortFixture.arribaHeader + [0, 2, 6].map { CohortFixture.arribaRow(fixture.calls[$0]) }.joined()
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        XCTAssertEqual(try fusionai(["cohort", "sample", "--sample", "S3"] + layout).status, 0)
        XCTAssertEqual(try fusionai(["cohort", "pairs", "--chunk-size", "4"] + layout).status, 0)
        let stale = try fusionai(["cohort", "merge"] + layout)
        XCTAssertEqual(stale.status, 1)
        XCTAssertTrue(stale.stderr.contains("was scored for other pairs than pairs.tsv lists now"), stale.stderr)
    }

    /// Chunks scored by two models, a merge given a third, and chunk files cut or edited by hand are
    /// each refused with the chunk, line and fix; a rerun `pairs` with fewer chunks removes the rest.
    func testChunksOfAnotherModelOrDamagedAreRefused() throws {
        let fixture = try cohortFixture()
        let out = fixture.folder + "/out"
        let layout = ["--samples", fixture.sheet, "-o", out]
        for sample in ["S1", "S2", "S3"] {
            XCTAssertEqual(try fusionai(["cohort", "sample", "--sample", sample] + layout).status, 0)
        }
        XCTAssertEqual(try fusionai(["cohort", "pairs", "--chunk-size", "2"] + layout).status, 0)
        let other = fixture.folder + "/other.safetensors"
        let made = try fusionai([
            "init-model", "-o", other, "--input-length", "600", "--first-filters", "8", "--second-filters", "4",
            "--seed", "2",
        ])
        XCTAssertEqual(made.status, 0, made.stderr)
        func score(_ chunk: String, model: String) throws {
            let run = try fusionai([
                "cohort", "score", "-g", fixture.genome, "-m", model, "--cache", fixture.folder + "/c", "-o", out,
                "--chunk", chunk,
            ])
            XCTAssertEqual(run.status, 0, run.stderr)
        }
        try score("chunk-1", model: fixture.model)
        try score("chunk-2", model: other)
        try score("chunk-3", model: fixture.model)
        let mixed = try fusionai(["cohort", "merge"] + layout)
        XCTAssertEqual(mixed.status, 1)
        XCTAssertTrue(mixed.stderr.contains("chunk-2.tsv:2: was scored by another model"), mixed.stderr)
        XCTAssertTrue(mixed.stderr.contains("chunk-1.tsv line 2"), mixed.stderr)

        try score("chunk-2", model: fixture.model)
        XCTAssertEqual(try fusionai(["cohort", "merge"] + layout).status, 0)
        let explainOther = try fusionai(["cohort", "merge", "-g", fixture.genome, "-m", other] + layout)
        XCTAssertEqual(explainOther.status, 1)
        XCTAssertTrue(explainOther.stderr.contains("than --model \(other)"), explainOther.stderr)

        // Hand edits: a score that is not a probability, a cut line, a lost last row.
        let chunk = out + "/chunks/chunk-3.tsv"
        let saved = try String(contentsOfFile: chunk, encoding: .utf8)
        var lines = saved.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var fields = lines[1].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        fields[3] = "high"
        lines[1] = fields.joined(separator: "\t")
        try lines.joined(separator: "\n").write(toFile: chunk, atomically: false, encoding: .utf8)
        let edited = try fusionai(["cohort", "merge"] + layout)
        XCTAssertEqual(edited.status, 1)
        XCTAssertTrue(edited.stderr.contains("chunk-3.tsv:2: holds 'scored' with fusion_positive_prob 'high'"))
        XCTAssertTrue(edited.stderr.contains("rerun `fusionai cohort score --chunk chunk-3`"), edited.stderr)
        let lastTab = try XCTUnwrap(saved.lastIndex(of: "\t"))
        try String(saved[..<lastTab]).write(toFile: chunk, atomically: false, encoding: .utf8)
        let cut = try fusionai(["cohort", "merge"] + layout)
        XCTAssertEqual(cut.status, 1)
        XCTAssertTrue(cut.stderr.contains("chunk-3.tsv:3: has 6 field(s) where the header has 7"), cut.stderr)
        let firstRows = saved.split(separator: "\n").prefix(2).joined(separator: "\n") + "\n"
        try firstRows.write(toFile: chunk, atomically: false, encoding: .utf8)
        let short = try fusionai(["cohort", "merge"] + layout)
        XCTAssertEqual(short.status, 1)
        XCTAssertTrue(short.stderr.contains("chunk-3.tsv: has no row for pair 6"), short.stderr)
        try String(saved.dropLast(4)).write(toFile: chunk, atomically: false, encoding: .utf8)
        let digest = try fusionai(["cohort", "merge"] + layout)
        XCTAssertEqual(digest.status, 1)
        XCTAssertTrue(digest.stderr.contains("as model_digest, not a digest: the file was cut"), digest.stderr)

        XCTAssertEqual(try fusionai(["cohort", "pairs", "--chunk-size", "4"] + layout).status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/chunks/chunk-2.tsv"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: chunk), "chunks.txt lists two chunks now")
    }

    /// A shard made from files the sheet no longer lists, from a file edited since, or cut short
    /// was used by pairs and merge as it was (calls lost, or the old file's calls): refused.
    func testStaleOrCutShardsAreRefused() throws {
        let fixture = try cohortFixture()
        let out = fixture.folder + "/out"
        let layout = ["--samples", fixture.sheet, "-o", out]
        for sample in ["S1", "S2", "S3"] {
            XCTAssertEqual(try fusionai(["cohort", "sample", "--sample", sample] + layout).status, 0)
        }
        XCTAssertEqual(try fusionai(["cohort", "pairs"] + layout).status, 0)

        // Cut at a line end: S3's shard loses its last call.
        let shard = out + "/samples/S3.calls.tsv"
        let saved = try String(contentsOfFile: shard, encoding: .utf8)
        try (saved.split(separator: "\n").dropLast().joined(separator: "\n") + "\n").write(
            toFile: shard, atomically: false, encoding: .utf8)
        let cut = try fusionai(["cohort", "pairs"] + layout)
        XCTAssertEqual(cut.status, 1, cut.stderr)
        XCTAssertTrue(cut.stderr.contains("S3.calls.tsv: holds 2 call(s) where its status records 3"), cut.stderr)
        try saved.write(toFile: shard, atomically: false, encoding: .utf8)
        XCTAssertEqual(try fusionai(["cohort", "pairs"] + layout).status, 0)

        // S2's file edited after its shard was made.
        let s2 = fixture.folder + "/cohort/S2.star-fusion.tsv"
        let text = try String(contentsOfFile: s2, encoding: .utf8)
        try (text.split(separator: "\n").dropLast().joined(separator: "\n") + "\n").write(
            toFile: s2, atomically: false, encoding: .utf8)
        let edited = try fusionai(["cohort", "merge"] + layout)
        XCTAssertEqual(edited.status, 1, edited.stderr)
        XCTAssertTrue(edited.stderr.contains("S2.calls.tsv: was made before S2.star-fusion.tsv last changed"))
        XCTAssertTrue(edited.stderr.contains("rerun `fusionai cohort sample --sample=S2`"), edited.stderr)

        // The sheet points S2 at another file.
        let sheet = try String(contentsOfFile: fixture.sheet, encoding: .utf8)
        try sheet.replacingOccurrences(of: "S2.star-fusion.tsv", with: "S1.star-fusion.tsv").write(
            toFile: fixture.folder + "/cohort/other.tsv", atomically: false, encoding: .utf8)
        let moved = try fusionai(["cohort", "pairs", "--samples", fixture.folder + "/cohort/other.tsv", "-o", out])
        XCTAssertEqual(moved.status, 1, moved.stderr)
        XCTAssertTrue(moved.stderr.contains("was made from other files than the sheet lists for S2 now"))
    }

    func testMergeDistanceJoinsNearbyPairsAndReportsTheSpread() throws {
        let fixture = try cohortFixture()
        // S4 calls E1 with its tail 3 nt further: a pair of its own, unless merged within 5 nt.
        let e1 = fixture.calls[0]
        let shifted = e1.starFusionRow.replacingOccurrences(
            of: "\(e1.tail.chromosome):\(e1.tail.position):", with: "\(e1.tail.chromosome):\(e1.tail.position + 3):")
        let header = try String(contentsOfFile: fixture.folder + "/ex/fusions.star-fusion.tsv", encoding: .utf8)
            .prefix { $0 != "\n" }
        try (header + "\n" + shifted + "\n").write(
            toFile: fixture.folder + "/cohort/S4.tsv", atomically: false, encoding: .utf8)
        let sheet = try String(contentsOfFile: fixture.sheet, encoding: .utf8) + "S4\tS4.tsv\t\n"
        try sheet.write(toFile: fixture.sheet, atomically: false, encoding: .utf8)
        let cache = fixture.folder + "/cache"

        let exact = try fusionai(cohortArguments(fixture, output: fixture.folder + "/exact", cache: cache))
        XCTAssertEqual(exact.status, 0, exact.stderr)
        XCTAssertEqual(try TSVTable(path: fixture.folder + "/exact/cohort.tsv").rows.count, 7)

        let out = fixture.folder + "/merged"
        let merged = try fusionai(cohortArguments(fixture, output: out, cache: cache) + ["--merge-distance", "5"])
        XCTAssertEqual(merged.status, 0, merged.stderr)
        // The merged pair is E1's own (4 calls against 1), already scored: nothing new to score.
        XCTAssertTrue(merged.stderr.contains("6 unique pair(s): 0 scored by the model, 6 from the score cache"))
        let cohort = try TSVTable(path: out + "/cohort.tsv")
        XCTAssertEqual(cohort.rows.count, 6)
        let row = try XCTUnwrap(cohort.rows.first { $0["samples"] == "S1,S2,S3,S4" })
        XCTAssertEqual(row["Tbp"], String(e1.tail.position))
        XCTAssertEqual([row["merged_pairs"], row["Hbp_spread"], row["Tbp_spread"]], ["2", "0", "3"])
        let calls = try TSVTable(path: out + "/calls.tsv")
        let s4 = try XCTUnwrap(calls.rows.first { $0["sample"] == "S4" })
        XCTAssertEqual(s4["Tbp"], String(e1.tail.position + 3), "calls.tsv keeps each call's own breakpoints")
        XCTAssertEqual(s4["pair"], String((cohort.rows.firstIndex { $0["samples"] == "S1,S2,S3,S4" } ?? -1) + 1))
    }

    /// A cohort of the example's `calls` calls: A (all of them), B (every other one), C (a file that
    /// cannot be read), D (one good file and one missing). Returns the sheet.
    private func largerCohort(_ fixture: CohortFixture) throws -> String {
        let folder = fixture.folder + "/cohort"
        let text = try String(contentsOfFile: fixture.folder + "/ex/fusions.star-fusion.tsv", encoding: .utf8)
        let lines = text.split(separator: "\n")
        let half = [lines[0]] + lines.dropFirst().enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        try (half.joined(separator: "\n") + "\n").write(toFile: folder + "/B.tsv", atomically: false, encoding: .utf8)
        try "Hgene\tHchr\u{0}\n".write(toFile: folder + "/C.tsv", atomically: false, encoding: .utf8)
        let sheet = folder + "/larger.tsv"
        try """
        sample\tpath
        A\t../ex/fusions.star-fusion.tsv
        B\tB.tsv
        C\tC.tsv
        D\tB.tsv
        D\tmissing.tsv

        """.write(toFile: sheet, atomically: false, encoding: .utf8)
        return sheet
    }

    /// The number N of "N unique pair(s): " in a run's log.
    private func uniquePairs(_ log: String) -> Int? {
        guard let range = log.range(of: " unique pair(s): ") else { return nil }
        return Int(log[..<range.lowerBound].split(separator: " ").last ?? "")
    }

    private func tables(_ folder: String) throws -> [Data] {
        try ["cohort.tsv", "calls.tsv", "genes.tsv", "samples.tsv"].map { try read(folder + "/" + $0) }
    }

    func testFailingSamplesAreReportedTheOthersGoOnAndAKilledRunFinishesTheSame() throws {
        let fixture = try cohortFixture(exampleCalls: 300)
        let sheet = try largerCohort(fixture)
        let reference = fixture.folder + "/reference"
        let base = cohortArguments(fixture, output: reference, cache: fixture.folder + "/ref-cache", sheet: sheet)
        let first = try fusionai(base + ["--chunk-size", "20"])
        XCTAssertEqual(first.status, 0, first.stderr)
        // C and D are left out with their reasons, said on stderr and in samples.tsv; A and B are in.
        XCTAssertTrue(first.stderr.contains("sample C left out: C.tsv: "), first.stderr)
        XCTAssertTrue(first.stderr.contains("sample D left out: missing.tsv: "), first.stderr)
        XCTAssertEqual(first.stderr.components(separatedBy: "sample C left out").count - 1, 1, "said once")
        // The file is named once, as the sheet names it.
        XCTAssertTrue(first.stderr.contains("sample C left out: C.tsv: line 1: holds binary data"), first.stderr)
        XCTAssertFalse(first.stderr.contains(fixture.folder + "/cohort/C.tsv"), first.stderr)
        XCTAssertTrue(first.stderr.contains("2 of 4 sample(s) used"), first.stderr)
        let samples = try TSVTable(path: reference + "/samples.tsv")
        XCTAssertEqual(samples.column("sample"), ["A", "B", "C", "D", "D"])
        XCTAssertEqual(samples.column("status"), ["ok", "ok", "failed", "dropped", "failed"])
        XCTAssertTrue(samples.rows[2]["reason"].contains("binary"), samples.rows[2]["reason"])
        XCTAssertEqual(Set(try TSVTable(path: reference + "/calls.tsv").column("sample")), ["A", "B"])
        let pairs = try XCTUnwrap(uniquePairs(first.stderr))
        XCTAssertGreaterThan(pairs, 200)
        let expected = try tables(reference)

        // Killed (SIGKILL) while reading samples, while scoring, and while explaining; each rerun with
        // the same command ends with the reference's tables, and scores only what was not cached.
        let out = fixture.folder + "/out"
        let args =
            cohortArguments(fixture, output: out, cache: fixture.folder + "/cache", sheet: sheet)
            .dropLast(2) + ["--chunk-size", "20", "--threshold", "0.0", "--explain-max", "3", "-o", out]
        let exists = { (path: String) in FileManager.default.fileExists(atPath: path) }
        let chunks = { (try? FileManager.default.contentsOfDirectory(atPath: out + "/chunks"))?.count ?? 0 }
        let points: [(name: String, reached: () -> Bool)] = [
            ("samples", { exists(out + "/samples") }),
            ("scoring", { chunks() >= 3 }),
            ("explain", { exists(out + "/fis") }),
        ]
        for point in points {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.binary)
            process.environment = Self.environment
            process.arguments = Array(args)
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(300)
            while Date() < deadline, process.isRunning, !point.reached() { usleep(500) }
            XCTAssertTrue(process.isRunning, "the run should still be going at the \(point.name) kill point")
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let again = try fusionai(Array(args))
            XCTAssertEqual(again.status, 0, "\(point.name): \(again.stderr)")
            XCTAssertEqual(try tables(out), expected, "killed while \(point.name), then rerun")
            let line = again.stderr.split(separator: "\n").first { $0.contains(" scored by the model, ") } ?? ""
            let scored = Int(line.split(separator: ": ").last?.split(separator: " ").first ?? "") ?? -1
            if point.name == "scoring" {
                XCTAssertTrue(
                    scored >= 0 && scored < pairs, "the rerun scores only what the killed run had not: \(line)")
            }
            if point.name == "explain" { XCTAssertEqual(scored, 0, String(line)) }
            try FileManager.default.removeItem(atPath: out)
        }
        // And at seeded random moments, each run with a cache of its own (beside its output, so moved
        // away with it): a kill may fall while the cache is being written.
        var random = SeededGenerator(seed: 20)
        let killed = KilledCommand(name: "cohort") { output in
            Array(
                self.cohortArguments(fixture, output: output, cache: output + ".cache", sheet: sheet).dropLast(2)
                    + ["--chunk-size", "20", "--threshold", "0.0", "--explain-max", "3", "-o", output])
        }
        try killAtRandomMoments(killed, random: &random, in: fixture.folder) { _, out, message in
            XCTAssertEqual(try self.tables(out), expected, message)
        }
    }

    func testTwoConcurrentProcessesShareTheCacheAndBadEntriesAreRecomputed() throws {
        let fixture = try cohortFixture(exampleCalls: 200)
        let sheet = try largerCohort(fixture)
        let reference = fixture.folder + "/reference"
        let first = try fusionai(
            cohortArguments(fixture, output: reference, cache: fixture.folder + "/ref-cache", sheet: sheet))
        XCTAssertEqual(first.status, 0, first.stderr)
        let pairs = try XCTUnwrap(uniquePairs(first.stderr))
        let expected = try read(reference + "/cohort.tsv")

        // Two processes at once on one fresh cache, small chunks so both are scoring at the same time.
        let cache = fixture.folder + "/cache"
        let processes = try ["one", "two"].map { name -> Process in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.binary)
            process.environment = Self.environment
            process.arguments =
                cohortArguments(fixture, output: fixture.folder + "/" + name, cache: cache, sheet: sheet) + [
                    "--chunk-size", "10",
                ]
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        for process in processes {
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0)
        }
        XCTAssertEqual(try read(fixture.folder + "/one/cohort.tsv"), expected)
        XCTAssertEqual(try read(fixture.folder + "/two/cohort.tsv"), expected)
        // One entry per pair, no temporary file left, every entry valid: a third run scores nothing.
        var entries: [String] = []
        for folder in try FileManager.default.contentsOfDirectory(atPath: cache + "/v1") {
            entries += try FileManager.default.contentsOfDirectory(atPath: cache + "/v1/" + folder).map {
                cache + "/v1/" + folder + "/" + $0
            }
        }
        XCTAssertEqual(entries.count, pairs)
        XCTAssertEqual(entries.filter { ($0 as NSString).lastPathComponent.hasPrefix(".") }, [])
        let third = try fusionai(
            cohortArguments(fixture, output: fixture.folder + "/three", cache: cache, sheet: sheet))
        XCTAssertTrue(third.stderr.contains(": 0 scored by the model, \(pairs) from the score cache\n"), third.stderr)

        // A truncated entry and one with a changed score are found, recomputed, and the table is unchanged.
        let sorted = entries.sorted()
        try "fusionai-score-cache\t1\nkey".write(toFile: sorted[0], atomically: false, encoding: .utf8)
        let text = try String(contentsOfFile: sorted[1], encoding: .utf8)
        let tampered = text.replacingOccurrences(of: "positive\t", with: "positive\t0").prefix(text.count)
        try String(tampered).write(toFile: sorted[1], atomically: false, encoding: .utf8)
        let fourth = try fusionai(
            cohortArguments(fixture, output: fixture.folder + "/four", cache: cache, sheet: sheet))
        XCTAssertEqual(fourth.status, 0, fourth.stderr)
        XCTAssertTrue(
            fourth.stderr.contains(
                ": 2 scored by the model, \(pairs - 2) from the score cache, "
                    + "2 corrupt or stale cache entr(ies) recomputed"),
            fourth.stderr)
        XCTAssertEqual(try read(fixture.folder + "/four/cohort.tsv"), expected)
    }
}

final class CohortReportRenderingTests: CLITestCase {
    /// The cohort report in headless Chromium (scripts/check-report.sh): the cohort view, the pair
    /// table sorting and filtering, and the two explained pairs with their feature panels.
    func testTheCohortReportRendersWithItsExplainAndFeaturePanels() throws {
        try skipWithoutChromium()
        let fixture = try cohortFixture()
        let out = fixture.folder + "/out"
        let run = try fusionai(
            cohortArguments(fixture, output: out, cache: fixture.folder + "/cache").dropLast(4) + [
                "--explain-max", "2", "--features", fixture.folder + "/ex/features.tsv", "-o", out,
            ])
        XCTAssertEqual(run.status, 0, run.stderr)
        let (status, text) = try checkReport(out + "/report.html", png: fixture.folder + "/report.png")
        XCTAssertEqual(status, 0, text)
        // Three cohort figures, and per explained pair its feature panel and its explain figure.
        XCTAssertTrue(
            text.contains("fusions table and 7 figure(s), no console messages; sort and filter work (PASS 6 rows"), text
        )
        let figures = try checkFigures([out + "/report.html"])
        XCTAssertEqual(figures.status, 0, figures.text)
        XCTAssertTrue(figures.text.contains("in 7 figure(s), all inside their figure, none overlapping"), figures.text)

        // TCGA barcodes share their first 8 letters, all the heat map's columns showed of them: each
        // is labelled whole.
        let sheet = fixture.folder + "/cohort/samples.tsv"
        var renamed = try String(contentsOfFile: sheet, encoding: .utf8)
        let barcodes = [
            "S1": "TCGA-AB-2803-03A-01T-0734-13", "S2": "TCGA-AB-2805-03A-01T-0734-13",
            "S3": "TCGA-AB-2811-03A-01T-0734-13",
        ]
        for (name, barcode) in barcodes {
            renamed = renamed.replacingOccurrences(of: name + "\t", with: barcode + "\t")
        }
        try renamed.write(toFile: sheet, atomically: false, encoding: .utf8)
        let named = fixture.folder + "/named"
        let rerun = try fusionai(cohortArguments(fixture, output: named, cache: fixture.folder + "/cache"))
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        let report = try String(contentsOfFile: named + "/report.html", encoding: .utf8)
        for barcode in barcodes.values { XCTAssertTrue(report.contains(">\(barcode)</text>"), barcode) }
        let namedFigures = try checkFigures([named + "/report.html"])
        XCTAssertEqual(namedFigures.status, 0, namedFigures.text)
    }
}
