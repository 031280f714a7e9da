import Foundation
import TestSupport
import XCTest

extension ExplainCLITests {
    /// Seqlets from a DeepLiftShap explain folder: every row of seqlets.tsv lies where explain's own
    /// per-position table puts its window positions (genome span, strand, breakpoint distance), its
    /// sum is the sum of those scores, the BED says the same, and discovery writes its files.
    func testSeqletsLieWhereExplainsTablePutsTheirPositions() throws {
        let folder = try exampleAndModel(calls: 5)
        let explain = try fusionai([
            "explain", "-q", "-m", folder + "/m.safetensors", "-g", folder + "/ex/genome.fa",
            folder + "/ex/fusions.star-fusion.tsv", "--rows", "1-4", "--method", "deepliftshap", "--references", "3",
            "-o", folder + "/dl",
        ])
        XCTAssertEqual(explain.status, 0, explain.stderr)
        let run = try fusionai([
            "seqlets", folder + "/dl", "-o", folder + "/sq", "--discover", "--min-seqlets", "2", "-t", "1",
            // A lenient FDR: the untrained model's scores are mostly noise, and the test is about placement.
            "--fdr", "0.5",
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("seqlet(s) in 4 fusion(s)"), run.stderr)
        let seqlets = try TSVTable(path: folder + "/sq/seqlets.tsv")
        XCTAssertFalse(seqlets.rows.isEmpty)
        let bed = try String(contentsOfFile: folder + "/sq/seqlets.bed", encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        XCTAssertEqual(bed.count, seqlets.rows.count)
        var strands = Set<String>()
        var largest: [String: Double] = [:]
        for row in seqlets.rows {
            largest[row["id"]] = max(largest[row["id"]] ?? 0, abs(try XCTUnwrap(row.double("attribution_sum"))))
        }
        for (row, line) in zip(seqlets.rows, bed) {
            let fis = try TSVTable(path: "\(folder)/dl/\(row["id"]).fis.tsv").rows.filter { $0["part"] == row["part"] }
            let first = try XCTUnwrap(Int(row["window_start"]))
            let last = try XCTUnwrap(Int(row["window_end"]))
            let inside = fis.filter { Int($0["window_position"]).map { first <= $0 && $0 <= last } ?? false }
            XCTAssertEqual(inside.count, last - first + 1)
            let positions = inside.compactMap { Int($0["position"]) }
            XCTAssertEqual(row["chrom"], inside.first?["chrom"])
            XCTAssertEqual(Int(row["start"]), positions.min().map { $0 - 1 })
            XCTAssertEqual(Int(row["end"]), positions.max())
            // The window reads forwards on + and backwards on -.
            let ascending = (Int(inside[1]["position"]) ?? 0) > (Int(inside[0]["position"]) ?? 0)
            XCTAssertEqual(row["strand"], ascending ? "+" : "-")
            strands.insert(row["strand"])
            // The breakpoint base sits at window position 5000 on + and 5001 on -.
            let breakpointRow = fis.first { $0["window_position"] == (ascending ? "5000" : "5001") }
            let breakpoint = try XCTUnwrap(breakpointRow.flatMap { Int($0["position"]) })
            let (start, end) = (positions.min() ?? 0, positions.max() ?? 0)
            let distance =
                start <= breakpoint && breakpoint <= end ? 0 : min(abs(start - breakpoint), abs(end - breakpoint))
            XCTAssertEqual(Int(row["distance_to_breakpoint"]), distance)
            let sum = inside.reduce(0.0) { $0 + (Double($1["fis"]) ?? .nan) }
            let written = try XCTUnwrap(row.double("attribution_sum"))
            XCTAssertEqual(written, sum, accuracy: 1e-5 * max(1, abs(sum)))
            // The core window (flanks of 10 off each end) passed the threshold, and gives the sign.
            let core = inside.filter { Int($0["window_position"]).map { first + 10 <= $0 && $0 <= last - 10 } ?? false }
            let windowSum = core.reduce(0.0) { $0 + (Double($1["fis"]) ?? .nan) }
            XCTAssertEqual(try XCTUnwrap(row.double("window_sum")), windowSum, accuracy: 1e-5 * max(1, abs(windowSum)))
            XCTAssertEqual(windowSum > 0 ? "+" : "-", row["sign"])
            // BED's score: 0-1000 against the fusion's largest |sum| (the strongest scores 1000).
            let score = Int((1000 * abs(written) / (largest[row["id"]] ?? 1)).rounded())
            XCTAssertEqual(
                line,
                [
                    row["chrom"], row["start"], row["end"],
                    "\(row["id"])|\(row["part"])|\(row["sign"])|\(row["attribution_sum"])", "\(score)", row["strand"],
                ])
        }
        XCTAssertEqual(strands, ["+", "-"], "the example's partners lie on both strands")
        // Per fusion files hold the same rows.
        var perFusion: [String] = []
        for id in Set(seqlets.column("id")) {
            perFusion += try TSVTable(path: "\(folder)/sq/fusions/\(id).seqlets.tsv").rows.map {
                $0.fields.joined(separator: "\t")
            }
        }
        XCTAssertEqual(perFusion.sorted(), seqlets.rows.map { $0.fields.joined(separator: "\t") }.sorted())
        let summary = try TSVTable(path: folder + "/sq/summary.tsv")
        XCTAssertEqual(summary.column("hypothetical"), ["yes", "yes", "yes", "yes"])
        let meme = try String(contentsOfFile: folder + "/sq/patterns/positive_patterns.meme", encoding: .utf8)
        XCTAssertTrue(meme.hasPrefix("MEME version 4"))
        let patterns = try TSVTable(path: folder + "/sq/patterns/patterns.tsv")
        for name in patterns.column("pattern") {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(folder)/sq/patterns/logos/\(name).pwm.svg"))
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(folder)/sq/patterns/logos/\(name).cwm.svg"))
        }
    }

    /// A run that fails part way leaves its folder as the last run left it (its per-fusion files had
    /// been replaced while the tables stayed the last run's), and a fresh folder is not made; a run
    /// without --discover takes the last run's patterns away; NaN hypothetical contributions keep
    /// their fusion out of discovery, with a warning (patterns came out empty, silently).
    func testAFailedRunLeavesTheFolderAsItWasAndNaNHypotheticalsAreSaid() throws {
        let folder = try exampleAndModel(calls: 5)
        let explain = try fusionai([
            "explain", "-q", "-m", folder + "/m.safetensors", "-g", folder + "/ex/genome.fa",
            folder + "/ex/fusions.star-fusion.tsv", "--rows", "1-3", "--method", "deeplift", "-o", folder + "/dl",
        ])
        XCTAssertEqual(explain.status, 0, explain.stderr)
        let discover = ["--discover", "--min-seqlets", "2", "--fdr", "0.5", "-t", "1"]
        XCTAssertEqual(try fusionai(["seqlets", "-q", folder + "/dl", "-o", folder + "/sq"] + discover).status, 0)
        func snapshot(_ path: String) throws -> [String: Data] {
            var files: [String: Data] = [:]
            for case let name as String in FileManager.default.enumerator(atPath: path) ?? .init() {
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: path + "/" + name, isDirectory: &isFolder),
                    !isFolder.boolValue
                {
                    files[name] = try Data(contentsOf: URL(fileURLWithPath: path + "/" + name))
                }
            }
            return files
        }
        let before = try snapshot(folder + "/sq")
        XCTAssertTrue(
            before.keys.contains { $0.hasPrefix("fusions/") } && before.keys.contains { $0.hasPrefix("patterns/") })

        // The last fusion's table names a head position as the tail's: read after the first two.
        try FileManager.default.copyItem(atPath: folder + "/dl", toPath: folder + "/bad")
        let ids = try TSVTable(path: folder + "/dl/summary.tsv").column("id").sorted {
            $0.localizedStandardCompare($1) == .orderedAscending
        }
        let table = folder + "/bad/" + (ids.last ?? "") + ".fis.tsv"
        var lines = try String(contentsOfFile: table, encoding: .utf8).components(separatedBy: "\n")
        lines[300] = lines[300].replacingOccurrences(of: "\thead\t", with: "\ttail\t")
        try lines.joined(separator: "\n").write(toFile: table, atomically: false, encoding: .utf8)
        let failed = try fusionai(["seqlets", "-q", folder + "/bad", "-o", folder + "/sq"] + discover)
        XCTAssertEqual(failed.status, 1, failed.stderr)
        XCTAssertEqual(try snapshot(folder + "/sq"), before, "the failed run changed the folder")
        XCTAssertEqual(try fusionai(["seqlets", "-q", folder + "/bad", "-o", folder + "/fresh"]).status, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/fresh"))

        XCTAssertEqual(try fusionai(["seqlets", "-q", folder + "/dl", "-o", folder + "/sq"]).status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/sq/patterns"))

        // NaN in the first fusion's hypothetical contributions (its .npy's last value).
        try FileManager.default.copyItem(atPath: folder + "/dl", toPath: folder + "/nan")
        let npy = try FileHandle(forUpdating: URL(fileURLWithPath: folder + "/nan/" + (ids.first ?? "") + ".hyp.npy"))
        try npy.seek(toOffset: try npy.seekToEnd() - 4)
        try npy.write(contentsOf: Data([0x00, 0x00, 0xC0, 0x7F]))
        try npy.close()
        let nan = try fusionai(["seqlets", folder + "/nan", "-o", folder + "/sqnan"] + discover)
        XCTAssertEqual(nan.status, 0, nan.stderr)
        XCTAssertTrue(
            nan.stderr.contains("1 fusion(s) have NaN or infinite values in ID.hyp.npy: their seqlets were left out"),
            nan.stderr)
    }

    /// A folder without explain's outputs is a clear error; bad options are usage errors.
    func testSeqletsRefusesAFolderWithoutExplainOutputs() throws {
        let folder = try TestData.temporaryDirectory()
        let empty = try fusionai(["seqlets", folder, "-o", folder + "/out"])
        XCTAssertEqual(empty.status, 1)
        XCTAssertTrue(
            empty.stderr.contains("has no summary.tsv: give the folder `fusionai explain -o` wrote"), empty.stderr)
        XCTAssertEqual(try fusionai(["seqlets", folder + "/missing", "-o", folder + "/out"]).status, 1)
        XCTAssertEqual(try fusionai(["seqlets", folder, "-o", folder + "/out", "--fdr", "2"]).status, 64)
    }
}
