import Foundation
import TestSupport
import XCTest

final class PredictCLITests: CLITestCase {
    /// Example data and a small random FusionAI-family model, made once per test.
    private func setUpRun(calls: Int = 50) throws -> (folder: String, model: String, genome: String, calls: String) {
        let folder = try exampleAndModel(calls: calls)
        return (folder, folder + "/m.safetensors", folder + "/ex/genome.fa", folder + "/ex/fusions.star-fusion.tsv")
    }

    /// Random weights stay marked when written as Keras HDF5 (a root attribute Keras ignores), so
    /// predict still warns; convert carries the mark both ways.
    func testAnUntrainedModelStaysMarkedInKerasHDF5() throws {
        let r = try setUpRun(calls: 4)
        let h5 = r.folder + "/m.h5"
        XCTAssertEqual(try fusionai(["convert", r.model, "-o", h5]).status, 0)
        let predict = try fusionai(["predict", "-m", h5, "-g", r.genome, r.calls])
        XCTAssertEqual(predict.status, 0, predict.stderr)
        XCTAssertTrue(predict.stderr.contains("random, untrained weights"), predict.stderr)
        XCTAssertEqual(predict.stdout, try fusionai(["predict", "-m", r.model, "-g", r.genome, r.calls]).stdout)
        XCTAssertEqual(try fusionai(["convert", h5, "-o", r.folder + "/back.safetensors"]).status, 0)
        let back = try fusionai(["predict", "-m", r.folder + "/back.safetensors", "-g", r.genome, r.calls])
        XCTAssertTrue(back.stderr.contains("random, untrained weights"), back.stderr)
    }

    func testPredictFromPreparedFileAndFromCallerOutputAgree() throws {
        let r = try setUpRun()
        XCTAssertEqual(
            try fusionai(["prepare", "-q", "-g", r.genome, r.calls, "-o", r.folder + "/prepared.tsv"]).status, 0)
        let fromPrepared = try fusionai(["predict", "-m", r.model, r.folder + "/prepared.tsv"])
        XCTAssertEqual(fromPrepared.status, 0, fromPrepared.stderr)
        XCTAssertTrue(fromPrepared.stderr.contains("random, untrained weights"), "predict says the model is untrained")
        let lines = fromPrepared.stdout.split(separator: "\n").map {
            $0.split(separator: "\t", omittingEmptySubsequences: false)
        }
        XCTAssertEqual(lines.count, 51)
        XCTAssertEqual(
            lines[0],
            [
                "Hgene", "Hchr", "Hbp", "Hstrand", "Tgene", "Tchr", "Tbp", "Tstrand", "fusion_negative_prob",
                "fusion_positive_prob", "call",
            ])
        for row in lines.dropFirst() {
            let negative = try XCTUnwrap(Double(row[8]))
            let positive = try XCTUnwrap(Double(row[9]))
            XCTAssertEqual(negative + positive, 1, accuracy: 1e-5)
            XCTAssertEqual(row[10], positive >= 0.5 ? "positive" : "negative")
        }
        // From the caller's own output with the genome: the same probabilities, the caller's columns.
        let fromCalls = try fusionai(["predict", "-m", r.model, "-g", r.genome, r.calls, "--threads", "1"])
        XCTAssertEqual(fromCalls.status, 0, fromCalls.stderr)
        let callLines = fromCalls.stdout.split(separator: "\n").map {
            $0.split(separator: "\t", omittingEmptySubsequences: false)
        }
        XCTAssertEqual(callLines[0].first, "FusionName")
        XCTAssertEqual(callLines.dropFirst().map { $0.suffix(3) }, lines.dropFirst().map { $0.suffix(3) })
    }

    func testThresholdDecidesTheCall() throws {
        let r = try setUpRun(calls: 10)
        let all = try fusionai(["predict", "-q", "-m", r.model, "-g", r.genome, r.calls, "--threshold", "0"])
        XCTAssertTrue(all.stdout.split(separator: "\n").dropFirst().allSatisfy { $0.hasSuffix("\tpositive") })
        let none = try fusionai(["predict", "-q", "-m", r.model, "-g", r.genome, r.calls, "--threshold", "1"])
        XCTAssertTrue(none.stdout.split(separator: "\n").dropFirst().allSatisfy { $0.hasSuffix("\tnegative") })
        XCTAssertEqual(try fusionai(["predict", "-m", r.model, r.calls, "--threshold", "1.5"]).status, 64)
        // A header-only input gets the header a scored one gets, so outputs of many samples concatenate.
        let headerOnly = r.calls + ".empty.tsv"
        try (String(try String(contentsOfFile: r.calls, encoding: .utf8).split(separator: "\n")[0]) + "\n").write(
            toFile: headerOnly, atomically: false, encoding: .utf8)
        let empty = try fusionai(["predict", "-q", "-m", r.model, "-g", r.genome, headerOnly])
        XCTAssertEqual(empty.status, 0, empty.stderr)
        XCTAssertEqual(empty.stdout, String(all.stdout.split(separator: "\n")[0]) + "\n")
    }

    func testWithoutWindowsOrGenomeRowsAreRejectedWithTheFix() throws {
        let r = try setUpRun(calls: 5)
        let run = try fusionai(["predict", "-m", r.model, r.calls, "--rejects", r.folder + "/rejects.tsv"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("5 row(s) rejected"), run.stderr)
        let rejects = try String(contentsOfFile: r.folder + "/rejects.tsv", encoding: .utf8)
        XCTAssertTrue(rejects.contains("give --genome"), rejects)
    }

    /// Also its rejects: rows rejected before the kill (a malformed row, a chromosome the genome
    /// lacks) are listed again by the resumed run, as an uninterrupted run lists them.
    func testAKilledRunResumesToTheSameOutput() throws {
        let r = try setUpRun(calls: 400)
        var lines = try String(contentsOfFile: r.calls, encoding: .utf8).split(separator: "\n").map(String.init)
        let unplaced = lines[1].split(separator: "\t", omittingEmptySubsequences: false).map { field in
            field.hasPrefix("chr") && (field.hasSuffix(":+") || field.hasSuffix(":-"))
                ? "chrNowhere:100:+" : String(field)
        }
        XCTAssertNotEqual(unplaced.joined(separator: "\t"), lines[1], "the row names a breakpoint to move")
        lines.insert(contentsOf: ["malformed", unplaced.joined(separator: "\t")], at: 2)
        lines.insert("malformed too", at: lines.count - 1)
        try (lines.joined(separator: "\n") + "\n").write(toFile: r.calls, atomically: false, encoding: .utf8)
        let reference = r.folder + "/reference.tsv"
        let referenceRejects = r.folder + "/reference.rejects.tsv"
        let uninterrupted = try fusionai([
            "predict", "-m", r.model, "-g", r.genome, r.calls, "-o", reference, "--rejects", referenceRejects,
        ])
        XCTAssertEqual(uninterrupted.status, 0, uninterrupted.stderr)
        XCTAssertTrue(uninterrupted.stderr.contains("3 rejected in all"), uninterrupted.stderr)

        // Start a run with one row per batch, kill it after a few checkpoints, then resume.
        let out = r.folder + "/out.tsv"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.environment = Self.environment
        process.arguments = [
            "predict", "-q", "-m", r.model, "-g", r.genome, r.calls, "-o", out, "--batch-size", "1", "--threads", "1",
            "--rejects", r.folder + "/rejects.tsv",
        ]
        process.standardError = FileHandle.nullDevice
        try process.run()
        let checkpoint = out + ".partial.checkpoint"
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, process.isRunning {
            if let data = FileManager.default.contents(atPath: checkpoint),
                let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                (json["rows"] as? Int ?? 0) >= 5
            {
                break
            }
            usleep(2_000)
        }
        XCTAssertTrue(
            process.isRunning, "the run should still be going when killed (make the input larger if this fails)")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "an interrupted run leaves no final output")
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + ".partial"))

        let refused = try fusionai(["predict", "-q", "-m", r.model, "-g", r.genome, r.calls, "-o", out])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("--resume"), refused.stderr)

        let resumed = try fusionai([
            "predict", "-m", r.model, "-g", r.genome, r.calls, "-o", out, "--resume", "--rejects",
            r.folder + "/rejects.tsv",
        ])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("resuming after row"), resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("3 rejected in all"), resumed.stderr)
        XCTAssertEqual(
            try String(contentsOfFile: out, encoding: .utf8), try String(contentsOfFile: reference, encoding: .utf8))
        XCTAssertEqual(
            try String(contentsOfFile: r.folder + "/rejects.tsv", encoding: .utf8),
            try String(contentsOfFile: referenceRejects, encoding: .utf8))
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + ".partial"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: checkpoint))
    }

    func testConvertWritesANativeModelThatScoresIdentically() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/keras").path
        let folder = try TestData.temporaryDirectory()
        let converted = try fusionai([
            "convert", fixtures + "/fusionai_small.keras2.h5", "-o", folder + "/m.safetensors",
        ])
        XCTAssertEqual(converted.status, 0, converted.stderr)
        XCTAssertTrue(converted.stderr.contains("31866 parameters"), converted.stderr)
        XCTAssertEqual(try fusionai(["example", "-q", "-o", folder + "/ex", "--calls", "8"]).status, 0)
        let args = ["-g", folder + "/ex/genome.fa", folder + "/ex/fusions.star-fusion.tsv", "-q"]
        let a = try fusionai(["predict", "-m", fixtures + "/fusionai_small.keras2.h5"] + args)
        let b = try fusionai(["predict", "-m", folder + "/m.safetensors"] + args)
        XCTAssertEqual(a.status, 0, a.stderr)
        XCTAssertEqual(a.stdout, b.stdout)
    }
}

final class ExplainCLITests: CLITestCase {
    func testExplainWritesTracksTablesAndASummary() throws {
        let folder = try exampleAndModel(calls: 5)
        let run = try fusionai([
            "explain", "-m", folder + "/m.safetensors", "-g", folder + "/ex/genome.fa",
            folder + "/ex/fusions.star-fusion.tsv",
            "--rows", "2-3", "-o", folder + "/out",
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("2 fusion(s) explained with grad-input"), run.stderr)
        let summary = try String(contentsOfFile: folder + "/out/summary.tsv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(summary.count, 3)
        XCTAssertTrue(summary[1].hasPrefix("row2_"), String(summary[1]))
        let id = String(summary[1].split(separator: "\t")[0])
        for suffix in ["fis.tsv", "fis.npy", "head.bedGraph", "tail.bedGraph", "top.bed", "top_regions.tsv", "svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(folder)/out/\(id).\(suffix)"), suffix)
        }
        let npy = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/out/\(id).fis.npy"))
        XCTAssertEqual(Array(npy.prefix(6)), [0x93] + Array("NUMPY".utf8))
        XCTAssertEqual((npy.count - 128) / 4, 600, "a 600-nt model gives 600 scores after a 128-byte header")
        let positions = try String(contentsOfFile: "\(folder)/out/\(id).head.bedGraph", encoding: .utf8)
            .split(separator: "\n").dropFirst().compactMap { Int($0.split(separator: "\t")[1]) }
        XCTAssertEqual(positions.count, 300)
        XCTAssertEqual(positions, positions.sorted(), "bedGraph rows ascend")
        XCTAssertEqual(
            try fusionai([
                "explain", "-m", folder + "/m.safetensors", folder + "/ex/fusions.star-fusion.tsv", "--rows", "x", "-o",
                folder + "/o",
            ]).status, 64)
        let figure = try String(contentsOfFile: "\(folder)/out/\(id).svg", encoding: .utf8)
        XCTAssertTrue(figure.hasPrefix("<svg") && figure.hasSuffix("</svg>\n"))
        XCTAssertTrue(figure.contains("head breakpoint") && figure.contains("tail breakpoint"))
        XCTAssertTrue(summary[0].contains("mean_distance_top1pct") && figure.contains("shaded: top1%"))

        // A fraction that is not a whole percent is named alike in the regions, the summary and the figure.
        let half = try fusionai([
            "explain", "-q", "-m", folder + "/m.safetensors", "-g", folder + "/ex/genome.fa",
            folder + "/ex/fusions.star-fusion.tsv",
            "--rows", "2", "--top", "0.005", "-o", folder + "/half",
        ])
        XCTAssertEqual(half.status, 0, half.stderr)
        XCTAssertTrue(
            try String(contentsOfFile: folder + "/half/summary.tsv", encoding: .utf8).hasPrefix(
                "id\tfusion\tfusion_positive_prob\tmethod\tmean_distance_top0.5pct\t"))
        XCTAssertTrue(
            try String(contentsOfFile: "\(folder)/half/\(id).top_regions.tsv", encoding: .utf8).contains("\ntop0.5%\t"))
        XCTAssertTrue(
            try String(contentsOfFile: "\(folder)/half/\(id).svg", encoding: .utf8).contains("shaded: top0.5%"))

        let motifs = try fusionai([
            "motifs", "-m", folder + "/m.safetensors", "--sequences", folder + "/ex/fusions.star-fusion.tsv",
            "-g", folder + "/ex/genome.fa", "-o", folder + "/motifs",
        ])
        XCTAssertEqual(motifs.status, 0, motifs.stderr)
        XCTAssertEqual(
            try String(contentsOfFile: folder + "/motifs/motifs.tsv", encoding: .utf8).split(separator: "\n").count, 9,
            "8 filters + header")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder + "/motifs/logos").count, 8)
        XCTAssertTrue(
            try String(contentsOfFile: folder + "/motifs/motifs.meme", encoding: .utf8).contains("MOTIF filter8 "))
    }
}
