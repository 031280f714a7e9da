import Cohort
import Foundation
import FusionAI
import Reports
import Results
import Support

/// The cohort view of the HTML report, and the explain and feature panels of its top pairs.
enum CohortReport {
    /// Gene pairs shown in the heat map and bar chart; samples shown in the score distribution.
    static let topGenePairs = 30
    static let shownSamples = 200
    /// Rows of the pair table on the page (the full table is cohort.tsv).
    static let tableRows = 1000

    /// Explains the top pairs (when a genome and model are given), then writes the report.
    /// - Returns: the pairs explained.
    static func write(
        _ merged: CohortMerge.Merged, _ options: CohortStep.MergeOptions, folder: CohortFolder,
        sheet: SampleSheet, shards: CohortShards, log: StepLog
    ) throws -> Int {
        let explained = try explain(merged, options, folder: folder, log: log)
        var report = HTMLReport(title: "FusionAI cohort report")
        let samples = sheet.samples
        let positives = merged.scores.filter { ($0?.positive ?? -1) >= options.threshold }.count
        var summary: [(String, String)] = [
            ("samples", "\(samples.count) in the sheet, \(shards.used) used, \(shards.failed.count) left out"),
            ("calls", String(merged.calls.count)),
            ("unique breakpoint pairs", String(merged.pairs.pairs.count)),
            ("gene pairs", String(merged.genes.count)),
            ("pairs called positive", "\(positives) at P >= \(options.threshold)"),
            ("pairs without windows", String(merged.scores.filter { $0 == nil }.count)),
        ]
        summary += shards.failed.map { ("left out: \($0.sample)", $0.reason) }
        report.sections.append(.facts(title: "Summary", summary))
        report.sections.append(.figures(title: "Cohort view", figures: figures(merged, samples: samples)))
        let ranked = merged.pairs.pairs.indices.sorted {
            let (a, b) = (merged.scores[$0]?.positive ?? -1, merged.scores[$1]?.positive ?? -1)
            return a != b ? a > b : $0 < $1
        }
        let anchors = explained.ids
        report.sections.append(
            .table(
                title: "Breakpoint pairs (\(ranked.count); the \(min(tableRows, ranked.count)) best-scoring)",
                header: ["pair"] + BreakpointColumns.names + ["samples", "callers", CohortTable.probability],
                rows: ranked.prefix(tableRows).map { p in
                    let pair = merged.pairs.pairs[p]
                    return [String(p + 1)] + CohortCall.breakpointFields(pair.head, pair.tail) + [
                        Set(pair.calls.map { merged.calls[$0].sample }).sorted().joined(separator: ","),
                        Set(pair.calls.map { merged.calls[$0].caller }).sorted().joined(separator: ","),
                        merged.scores[p]?.text ?? "NA",
                    ]
                },
                anchors: ranked.prefix(tableRows).map { anchors[$0] }))
        let genes = merged.genes.map { row in
            [
                row.head, row.tail, String(row.samples.count), row.samples.joined(separator: ","),
                String(row.pairs.count), String(row.calls), row.best?.score.text ?? "NA",
            ]
        }
        report.sections.append(
            .table(
                title: "Gene pairs (\(genes.count))", header: Array(CohortGenesTable.schema.columns.dropLast()),
                rows: Array(genes.prefix(tableRows)), anchors: []))
        if !explained.figures.isEmpty {
            report.sections.append(
                .figures(title: "Explained pairs (\(explained.figures.count))", figures: explained.figures))
        }
        report.sections.append(
            .table(
                title: "Samples", header: CohortSamplesTable.schema.columns, rows: shards.statusRows, anchors: []))
        let provenance = options.provenance
        report.sections.append(
            .facts(
                title: "Run",
                [
                    ("sample sheet", options.layout.samples), ("model", options.model ?? "none"),
                    ("genome", options.genome ?? "none"), ("feature manifest", options.features ?? "none"),
                    ("merge distance", String(options.mergeDistance)), ("tool", provenance.tool),
                    ("libraries", provenance.libraries), ("command", provenance.command),
                ]))
        try OutputFile.write(report.html, to: folder.report)
        return explained.figures.count
    }

    /// The heat map, bar chart and score distributions.
    private static func figures(_ merged: CohortMerge.Merged, samples: [String])
        -> [(id: String, caption: String, svg: String)]
    {
        let top = Array(merged.genes.prefix(topGenePairs))
        let names = top.map { "\($0.head)--\($0.tail)" }
        let column = Dictionary(uniqueKeysWithValues: samples.enumerated().map { ($0.element, $0.offset) })
        let heat = top.map { row -> [Double] in
            var values = [Double](repeating: .nan, count: samples.count)
            for p in row.pairs {
                let score = merged.scores[p].map { Double($0.positive) } ?? .nan
                for i in merged.pairs.pairs[p].calls {
                    guard let c = column[merged.calls[i].sample], !score.isNaN else { continue }
                    values[c] = values[c].isNaN ? score : max(values[c], score)
                }
            }
            return values
        }
        let callers = top.map { row in
            Set(row.pairs.flatMap { merged.pairs.pairs[$0].calls.map { merged.calls[$0].caller } }).count
        }
        var perSample = [[Double]](repeating: [], count: samples.count)
        for (p, pair) in merged.pairs.pairs.enumerated() {
            guard let score = merged.scores[p] else { continue }
            for sample in Set(pair.calls.map { merged.calls[$0].sample }) {
                if let c = column[sample] { perSample[c].append(Double(score.positive)) }
            }
        }
        let shown = min(samples.count, shownSamples)
        return [
            (
                "cohort-heatmap",
                "The \(top.count) most recurrent gene pairs (rows) in each sample (columns, sheet order): the best "
                    + "score among the gene pair's breakpoint pairs the sample has; grey: no call",
                CohortFigures.heatMap(genePairs: names, samples: samples, scores: heat)
            ),
            (
                "cohort-recurrence",
                "The same gene pairs: the samples they recur in and the callers that report them",
                CohortFigures.recurrence(
                    genePairs: names, samples: top.map(\.samples.count), callers: callers,
                    callerCount: Set(merged.calls.map(\.caller)).count)
            ),
            (
                "cohort-scores",
                "Scores of the breakpoint pairs of each sample"
                    + (shown < samples.count ? " (the first \(shown) of \(samples.count) samples)" : ""),
                CohortFigures.scoreDistribution(
                    samples: Array(samples.prefix(shown)), scores: Array(perSample.prefix(shown)))
            ),
        ]
    }

    /// The explain (and features) panels of the best pairs at or above the threshold, and each pair's
    /// anchor.
    private static func explain(
        _ merged: CohortMerge.Merged, _ options: CohortStep.MergeOptions, folder: CohortFolder, log: StepLog
    ) throws -> (figures: [(id: String, caption: String, svg: String)], ids: [String?]) {
        var ids = [String?](repeating: nil, count: merged.pairs.pairs.count)
        try ResultsFolder.remove(folder.explain.path)
        try ResultsFolder.remove(folder.features.path)
        try ResultsFolder.remove(folder.explainInput)
        guard let genome = options.genome, let model = options.model, options.explainMax > 0 else { return ([], ids) }
        let chosen = merged.pairs.pairs.indices.filter { (merged.scores[$0]?.positive ?? -1) >= options.threshold }
            .sorted {
                let (a, b) = (merged.scores[$0]?.positive ?? -1, merged.scores[$1]?.positive ?? -1)
                return a != b ? a > b : $0 < $1
            }.prefix(options.explainMax)
        guard !chosen.isEmpty else { return ([], ids) }
        var rows = BreakpointColumns.names.joined(separator: "\t") + "\n"
        for p in chosen {
            let pair = merged.pairs.pairs[p]
            rows += CohortCall.breakpointFields(pair.head, pair.tail).joined(separator: "\t") + "\n"
        }
        try OutputFile.write(rows, to: folder.explainInput)
        var explain = ExplainStep.Options(input: folder.explainInput, model: model, output: folder.explain.path)
        explain.genome = genome
        explain.threads = options.threads
        _ = try ExplainStep.run(explain, log: log)
        if let manifest = options.features {
            var features = FeaturesStep.Options(
                input: folder.explainInput, manifest: manifest, output: folder.features.path)
            features.explained = folder.explain.path
            features.threads = options.threads
            _ = try FeaturesStep.run(features, log: log)
        }
        var figures: [(id: String, caption: String, svg: String)] = []
        for id in try folder.explain.figureIDs() {
            guard let row = FusionID.row(of: id), row <= chosen.count else { continue }
            let p = Array(chosen)[row - 1]
            var svg = try ResultsTable.text(folder.explain.figure(id))
            let panel = folder.features.trackFigure(id)
            if options.features != nil, FileManager.default.fileExists(atPath: panel) {
                svg = try ResultsTable.text(panel) + "\n" + svg
            }
            ids[p] = id
            figures.append(
                (
                    id,
                    "pair \(p + 1) (\(merged.pairs.pairs[p].head.gene)--\(merged.pairs.pairs[p].tail.gene)): "
                        + "feature-importance scores along the model input"
                        + (options.features == nil ? "" : ", over the genomic features"),
                    svg
                ))
        }
        return (figures, ids)
    }
}
