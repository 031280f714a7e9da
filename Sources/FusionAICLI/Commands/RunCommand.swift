import ArgumentParser
import Foundation
import GenomicFeatures

/// `fusionai run`: the whole protocol into one results folder, each step resumable.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The whole protocol in one command: prepare, predict, explain, features, report.",
        discussion: """
            Into OUT/: prepared.tsv (+ .qc.tsv, .rejects.tsv), predictions.tsv, fis/ (explain of the \
            --explain-max highest-scoring rows at or above --threshold), feat/ (with --features) and \
            report.html. A step that finished is marked in OUT/.done/ with its arguments and the size \
            and modification time of the files it reads (input, genome, annotation, model, feature \
            manifest and tracks), and skipped when it would run with the same again, so an \
            interrupted run resumes at the step it stopped in; a step whose arguments or input files \
            changed reruns, with every step after it; --force reruns every step.
            """
    )

    @Argument(help: "Fusion calls (any supported caller format) or a FusionAI data file.")
    var input: String

    @Option(name: [.short, .long], help: "Reference genome (FASTA, bgzip FASTA or .2bit).")
    var genome: String

    @Option(name: [.short, .long], help: "Model: Keras .h5 / .keras, or fusionai .safetensors.")
    var model: String

    @Option(name: [.short, .long], help: "Gene annotation (GTF) for callers that give no strands.")
    var annotation: String?

    @Option(help: "Feature manifest for the features step (skipped without one).")
    var features: String?

    @Option(help: "Explain rows with P(fusion-positive) at least this.")
    var threshold: Float = 0.5

    @Option(name: .customLong("explain-max"), help: "Explain at most this many rows (the highest-scoring).")
    var explainMax = 20

    @Flag(help: "Rerun every step, even those marked done.")
    var force = false

    @Option(name: [.short, .long], help: "Results folder (created if missing).")
    var output: String

    @OptionGroup var common: CommonOptions

    func run() throws {
        let console = Console(command: "run", quiet: common.quiet)
        let done = output + "/.done"
        try FileManager.default.createDirectory(atPath: done, withIntermediateDirectories: true)
        let shared = ["--threads", String(common.threads)] + (common.quiet ? ["-q"] : [])
        // Markers hold the step's arguments (not --threads or -q) and the size and modification time
        // of each input file it reads: the same step with other inputs, options, or an input file
        // changed in place is not done.
        // `fresh`: a folder the step fills, emptied first so no file of an earlier run survives in it.
        var upstreamRan = force
        func step(
            _ name: String, _ command: any ParsableCommand.Type, _ arguments: [String], reads files: [String],
            fresh: String? = nil
        ) throws {
            let stamps = files.map { file -> String in
                let attributes = try? FileManager.default.attributesOfItem(atPath: file)
                let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
                let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
                return "\(file)\t\(size)\t\(modified)"
            }
            let marker = done + "/" + name
            let signature = Data((arguments + stamps).joined(separator: "\n").utf8)
            // Once a step runs, every later one reruns too: its inputs may have changed.
            if !upstreamRan, FileManager.default.contents(atPath: marker) == signature {
                console.info("\(name): done before with the same arguments, skipped (--force reruns it)")
                return
            }
            upstreamRan = true
            try? FileManager.default.removeItem(atPath: marker)
            if let fresh { try? FileManager.default.removeItem(atPath: fresh) }
            console.info("\(name)…")
            var parsed = try command.parseAsRoot(arguments + shared)
            try parsed.run()
            try signature.write(to: URL(fileURLWithPath: marker))
        }
        let prepared = output + "/prepared.tsv"
        let predictions = output + "/predictions.tsv"
        try step(
            "prepare", PrepareCommand.self,
            [
                input, "-g", genome, "--header", "--qc", output + "/prepared.qc.tsv", "--rejects",
                output + "/prepared.rejects.tsv", "-o", prepared,
            ]
                + (annotation.map { ["--annotation", $0] } ?? []),
            reads: [input, genome] + (annotation.map { [$0] } ?? []))
        try step(
            "predict", PredictCommand.self,
            ["-m", model, prepared, "--threshold", String(threshold), "-o", predictions], reads: [model])
        let rows = try Self.rowsToExplain(predictions, threshold: threshold, limit: explainMax)
        if rows.isEmpty {
            try? FileManager.default.removeItem(atPath: output + "/fis")
            upstreamRan = true
            console.info("explain: no row scores at least \(threshold); nothing to explain")
        } else {
            try step(
                "explain", ExplainCommand.self,
                [
                    "-m", model, "-g", genome, prepared, "--rows", rows.map(String.init).joined(separator: ","), "-o",
                    output + "/fis",
                ],
                reads: [model, genome], fresh: output + "/fis")
        }
        let fis = rows.isEmpty ? [] : ["--fis", output + "/fis"]
        if let features {
            // The tracks too: a track edited in place changes the results as much as the manifest.
            let tracks = try FeatureManifest.entries(path: features).map(\.path)
            try step(
                "features", FeaturesCommand.self, [prepared, "--features", features, "-o", output + "/feat"] + fis,
                reads: [features] + tracks, fresh: output + "/feat")
        }
        let parameters = [
            ("input", input), ("genome", genome), ("model", model), ("annotation", annotation ?? "none"),
            ("feature manifest", features ?? "none"),
            ("explain", "rows with P >= \(threshold), at most \(explainMax) (\(rows.count) explained)"),
        ]
        try step(
            "report", ReportCommand.self,
            [predictions, "-o", output + "/report.html"] + fis
                + (features == nil ? [] : ["--features", output + "/feat"])
                + parameters.flatMap { ["--fact", "\($0.0)=\($0.1)"] }, reads: [])
        console.info(
            "results in \(output)/: prepared.tsv, predictions.tsv, \(rows.count) fusion(s) explained, report.html")
    }

    /// 1-based rows of `predictions` scoring at least `threshold`, the highest `limit` of them, ascending.
    static func rowsToExplain(_ predictions: String, threshold: Float, limit: Int) throws -> [Int] {
        let lines = try TextTable.rows(predictions)
        guard let column = lines.first?.firstIndex(of: "fusion_positive_prob") else {
            throw ReportInputError(path: predictions, "has no fusion_positive_prob column")
        }
        let scored = lines.dropFirst().enumerated().compactMap { i, f -> (row: Int, p: Float)? in
            guard column < f.count, let p = Float(f[column]), p >= threshold else { return nil }
            return (i + 1, p)
        }
        return scored.sorted { $0.p > $1.p }.prefix(max(0, limit)).map(\.row).sorted()
    }
}
