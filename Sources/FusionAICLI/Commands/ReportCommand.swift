import ArgumentParser
import Foundation
import FusionAI
import Fusions
import Reports
import Support

/// `fusionai report`: one HTML file from the outputs of predict, explain and features.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "One self-contained HTML report from predict, explain and features outputs.",
        discussion: """
            The page works from disk with no network: a sortable, filterable table of the \
            predictions (row N links to its explain figure when --fis holds rowN_*.svg), each \
            explained fusion's scores over its feature tracks and its attribution figure, the feature landscape and enrichment figures and \
            tables, with the explained fusions' feature coverage (--features), and the run: the \
            --fact lines, inputs, the versions of fusionai and its native libraries, the command.
            """
    )

    @Argument(help: "Predictions TSV written by `fusionai predict`.")
    var predictions: String

    @Option(help: "Folder written by `fusionai explain` for the same input.")
    var fis: String?

    @Option(help: "Folder written by `fusionai features`.")
    var features: String?

    @Option(help: "Report title.")
    var title = "FusionAI report"

    @Option(
        name: .customLong("fact"),
        help: ArgumentHelp(
            "A NAME=VALUE line for the report's Run section (repeatable); `fusionai run` lists its parameters this way.",
            valueName: "name=value"))
    var facts: [String] = []

    @Option(name: [.short, .long], help: "Output HTML file.")
    var output: String

    @OptionGroup var common: CommonOptions

    func validate() throws {
        for fact in facts where !fact.contains("=") { throw ValidationError("--fact takes NAME=VALUE, not '\(fact)'.") }
    }

    func run() throws {
        let console = Console(command: "report", quiet: common.quiet)
        try reportingFailures(console) {
            let table = try TextTable.rows(predictions)
            guard let header = table.first, header.contains("fusion_positive_prob") else {
                throw ReportInputError(
                    path: predictions, "has no fusion_positive_prob column: give the output of `fusionai predict`")
            }
            let rows = Array(table.dropFirst())
            var report = HTMLReport(title: title)
            var figures: [(id: String, caption: String, svg: String)] = []
            var anchors = [String?](repeating: nil, count: rows.count)
            if let fis {
                guard let all = try? FileManager.default.contentsOfDirectory(atPath: fis) else {
                    throw ReportInputError(
                        path: fis, "is not a readable folder: give the folder `fusionai explain -o` wrote")
                }
                let names = all.filter { $0.hasPrefix("row") && $0.hasSuffix(".svg") }
                for name in names.sorted(by: { $0.localizedStandardCompare($1) == .orderedAscending }) {
                    let id = String(name.dropLast(4))
                    guard let n = ExplainJob.row(ofID: id) else { continue }
                    var svg = try TextTable.text(fis + "/" + name)
                    var caption =
                        "\(id): feature-importance scores along the model input, with +-200 nt around each breakpoint (explain)"
                    // The panel of scores over feature strips comes first: the two read against each other.
                    let panel = features.map { $0 + "/tracks/" + id + ".features.svg" }
                    if let panel, FileManager.default.fileExists(atPath: panel) {
                        svg = (try TextTable.text(panel)) + "\n" + svg
                        caption =
                            "\(id): feature-importance scores over the genomic features along the model input (features); below, the explain figure with +-200 nt around each breakpoint"
                    }
                    figures.append((id, caption, svg))
                    if n <= anchors.count { anchors[n - 1] = id }
                }
            }
            report.sections.append(
                .table(
                    title: "Fusions (\(rows.count))", header: ["row"] + header,
                    rows: rows.enumerated().map { [String($0.offset + 1)] + $0.element }, anchors: anchors))
            if !figures.isEmpty {
                report.sections.append(.figures(title: "Explained fusions (\(figures.count))", figures: figures))
            }
            var enrichmentRows: [[String]] = []
            if let features {
                var featureFigures: [(id: String, caption: String, svg: String)] = []
                for (name, caption) in [
                    ("landscape", "Mean covered fraction of each feature across the breakpoint windows"),
                    (
                        "landscape_top",
                        "The same over the top-FIS positions only: which share of them each feature covers, bin by bin"
                    ),
                    ("enrichment", "Feature enrichment: odds ratios with 95% intervals"),
                ] {
                    let path = features + "/" + name + ".svg"
                    // The top-FIS landscape exists only when something was explained.
                    if name == "landscape_top", !FileManager.default.fileExists(atPath: path) { continue }
                    featureFigures.append((name, caption, try TextTable.text(path)))
                }
                report.sections.append(.figures(title: "Genomic features", figures: featureFigures))
                // Per-fusion coverage only for the explained fusions: a whole run's table can have millions of rows.
                let explainedRows = Set(
                    anchors.enumerated().compactMap { $0.element == nil ? nil : String($0.offset + 1) })
                if !explainedRows.isEmpty {
                    let coverage = try TextTable.rows(features + "/coverage.tsv", firstFieldIn: explainedRows)
                    if let head = coverage.first {
                        report.sections.append(
                            .table(
                                title: "Feature coverage of the explained fusions", header: head,
                                rows: Array(coverage.dropFirst()), anchors: []))
                    }
                }
                let enrichment = try TextTable.rows(features + "/enrichment.tsv")
                enrichmentRows = enrichment
                if let head = enrichment.first {
                    report.sections.append(
                        .table(
                            title: "Feature enrichment", header: head, rows: Array(enrichment.dropFirst()), anchors: [])
                    )
                }
            }
            let given = facts.map { fact -> (String, String) in
                let parts = fact.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                return (String(parts[0]), String(parts[1]))
            }
            report.sections.append(
                .facts(
                    title: "Run",
                    given + [
                        ("tool", "fusionai \(FusionAIVersion.current)"),
                        (
                            "libraries",
                            FusionAIVersion.libraries.map { "\($0.name) \($0.version)" }.joined(separator: "; ")
                        ),
                        ("predictions", predictions), ("explain folder", fis ?? "none"),
                        ("features folder", features ?? "none"),
                        ("command", CommandLine.arguments.joined(separator: " ")),
                        ("made", ISO8601DateFormatter().string(from: Date())),
                    ]))
            report.sections.insert(
                .facts(
                    title: "Summary",
                    Self.summary(header: header, rows: rows, explained: figures.count, enrichment: enrichmentRows)),
                at: 0)
            try OutputFile.write(report.html, to: output)
            console.info(
                "\(rows.count) fusion(s), \(figures.count) explain figure(s)\(features == nil ? "" : ", feature figures") into \(output)"
            )
        }
    }

    /// The headline numbers: fusions, positive calls, explained fusions, and the features enriched
    /// or depleted in top-FIS regions at BH q < 0.05.
    static func summary(header: [String], rows: [[String]], explained: Int, enrichment: [[String]]) -> [(
        String, String
    )] {
        var lines = [("fusions", String(rows.count))]
        if let call = header.firstIndex(of: "call") {
            lines.append(("called positive", String(rows.filter { call < $0.count && $0[call] == "positive" }.count)))
        }
        lines.append(("explained", String(explained)))
        if let head = enrichment.first, let test = head.firstIndex(of: "test"),
            let feature = head.firstIndex(of: "feature"),
            let odds = head.firstIndex(of: "odds_ratio"), let q = head.firstIndex(of: "q_value")
        {
            let significant = enrichment.dropFirst().filter {
                $0.count == head.count && $0[test] == "top_fis_vs_rest" && (Double($0[q]) ?? 1) < 0.05
            }
            for (label, keep) in [
                ("enriched in top-FIS regions (q < 0.05)", { (r: Double) in r > 1 }),
                ("depleted in top-FIS regions (q < 0.05)", { $0 < 1 }),
            ] {
                let names = significant.filter { keep(Double($0[odds]) ?? 1) }.map {
                    "\($0[feature]) (OR \(String(format: "%.2f", Double($0[odds]) ?? .nan)))"
                }
                if !names.isEmpty { lines.append((label, names.joined(separator: ", "))) }
            }
        }
        return lines
    }
}
