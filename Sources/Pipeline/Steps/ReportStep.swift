import Foundation
import Reports
import Results
import Support

/// One self-contained HTML page from the outputs of predict, explain and features.
public enum ReportStep {
    /// A NAME=VALUE line of the report's Run section.
    public struct Fact: Sendable, Equatable {
        public let name: String
        public let value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// What made the report, for its Run section.
    public struct Provenance: Sendable {
        /// `fusionai VERSION`.
        public let tool: String
        /// The linked native libraries and their versions, in one line.
        public let libraries: String
        /// The command line.
        public let command: String

        public init(tool: String, libraries: String, command: String) {
            self.tool = tool
            self.libraries = libraries
            self.command = command
        }
    }

    public struct Options: Sendable {
        /// `predict`'s output.
        public var predictions: String
        /// The folder `explain` wrote for the same input.
        public var explained: String?
        /// The folder `features` wrote.
        public var features: String?
        /// The folder `seqlets` wrote (a Motifs section: seqlet positions, pattern logos).
        public var seqlets: String?
        /// `motifs match` of the discovered patterns against a database: each pattern's top match.
        public var motifMatches: String?
        public var title = "FusionAI report"
        /// Lines for the Run section, before the provenance.
        public var facts: [Fact] = []
        public var provenance: Provenance
        /// The HTML file.
        public var output: String

        public init(predictions: String, provenance: Provenance, output: String) {
            self.predictions = predictions
            self.provenance = provenance
            self.output = output
        }
    }

    public struct Result: Sendable {
        public let fusions: Int
        /// Explain figures on the page.
        public let figures: Int
    }

    private typealias Figure = (id: String, caption: String, svg: String)

    /// - Throws: ``ResultsFileError`` for an input that is missing or is not what that step writes,
    ///   ``OutputError``; no page is left behind by a failed run.
    public static func run(_ options: Options, log: StepLog = .silent) throws -> Result {
        try OutputTarget.requireDistinct(options.output, from: [options.predictions])
        let predictions = try PredictionsTable.schema.read(options.predictions)
        _ = try predictions.index(of: PredictionsTable.positiveProbability)
        let rows = predictions.rows.map(\.fields)
        var report = HTMLReport(title: options.title)
        var figures: [Figure] = []
        var links: [String: [HTMLReport.Link]] = [:]
        let loci = BreakpointLoci(predictions)
        var anchors = [String?](repeating: nil, count: rows.count)
        if let folder = options.explained {
            let explained = ExplainFolder(path: folder)
            try requireSameFusions(explained, as: predictions)
            for id in try explained.figureIDs() {
                guard let n = FusionID.row(of: id) else { continue }
                var svg = try ResultsTable.text(explained.figure(id))
                var caption =
                    "\(id): feature-importance scores along the model input, with +-200 nt around each breakpoint "
                    + "(explain)"
                // The panel of scores over feature strips comes first: the two read against each other.
                let panel = options.features.map { FeaturesFolder(path: $0).trackFigure(id) }
                if let panel, FileManager.default.fileExists(atPath: panel) {
                    svg = (try ResultsTable.text(panel)) + "\n" + svg
                    caption =
                        "\(id): feature-importance scores over the genomic features along the model input "
                        + "(features); below, the explain figure with +-200 nt around each breakpoint"
                }
                figures.append((id, caption, svg))
                if n <= anchors.count { anchors[n - 1] = id }
                if let both = loci?.of(row: n) {
                    links[id] = [
                        HTMLReport.Link(label: "open both breakpoints in IGV", url: IGVSession.link(loci: both))
                    ]
                }
            }
        }
        report.sections.append(
            .table(
                title: "Fusions (\(rows.count))", header: ["row"] + predictions.header,
                rows: rows.enumerated().map { [String($0.offset + 1)] + $0.element }, anchors: anchors))
        if !figures.isEmpty {
            report.sections.append(
                .figures(title: "Explained fusions (\(figures.count))", figures: figures, links: links))
        }
        var enrichment: ResultsTable?
        if let folder = options.features {
            let features = FeaturesFolder(path: folder)
            report.sections.append(.figures(title: "Genomic features", figures: try featureFigures(features)))
            // Per-fusion coverage only for the explained fusions: a whole run's table can have millions of rows.
            let explainedRows = Set(anchors.enumerated().compactMap { $0.element == nil ? nil : String($0.offset + 1) })
            if !explainedRows.isEmpty {
                let coverage = try CoverageTable.schema.read(features.coverage, firstFieldIn: explainedRows)
                if !coverage.header.isEmpty {
                    report.sections.append(
                        .table(
                            title: "Feature coverage of the explained fusions", header: coverage.header,
                            rows: coverage.rows.map(\.fields), anchors: []))
                }
            }
            let table = try EnrichmentTable.schema.read(features.enrichment)
            enrichment = table
            if !table.header.isEmpty {
                report.sections.append(
                    .table(
                        title: "Feature enrichment", header: table.header, rows: table.rows.map(\.fields), anchors: []))
            }
        }
        if let seqlets = options.seqlets {
            let motifs = try ReportMotifs.content(seqlets: seqlets, matches: options.motifMatches)
            report.sections.append(.figures(title: "Motifs", figures: motifs.figures))
            if !motifs.rows.isEmpty {
                report.sections.append(
                    .table(title: "Discovered patterns", header: motifs.header, rows: motifs.rows, anchors: []))
            }
        }
        let provenance = options.provenance
        let run =
            options.facts + [
                Fact("tool", provenance.tool), Fact("libraries", provenance.libraries),
                Fact("predictions", options.predictions), Fact("explain folder", options.explained ?? "none"),
                Fact("features folder", options.features ?? "none"), Fact("command", provenance.command),
                Fact("made", ISO8601DateFormatter().string(from: Date())),
            ]
        report.sections.append(.facts(title: "Run", run.map { ($0.name, $0.value) }))
        let summary = Self.summary(predictions, explained: figures.count, enrichment: enrichment)
        report.sections.insert(.facts(title: "Summary", summary.map { ($0.name, $0.value) }), at: 0)
        try OutputFile.write(report.html, to: options.output)
        log.info(
            "\(rows.count) fusion(s), \(figures.count) explain figure(s)"
                + "\(options.features == nil ? "" : ", feature figures") into \(options.output)")
        return Result(fusions: rows.count, figures: figures.count)
    }

    /// The model windows around both breakpoints of a predictions row, as IGV loci.
    private struct BreakpointLoci {
        let rows: [[String]]
        let head: (chromosome: Int, breakpoint: Int)
        let tail: (chromosome: Int, breakpoint: Int)

        /// nil when the predictions lack the fusion columns (then the report has no IGV links).
        init?(_ table: ResultsTable) {
            guard let hchr = try? table.index(of: "Hchr"), let hbp = try? table.index(of: "Hbp"),
                let tchr = try? table.index(of: "Tchr"), let tbp = try? table.index(of: "Tbp")
            else { return nil }
            rows = table.rows.map(\.fields)
            head = (hchr, hbp)
            tail = (tchr, tbp)
        }

        /// Data row `n` (1-based).
        func of(row n: Int) -> [String]? {
            guard n >= 1, n <= rows.count else { return nil }
            let f = rows[n - 1]
            guard f.count > max(head.chromosome, head.breakpoint, tail.chromosome, tail.breakpoint),
                let h = Int(f[head.breakpoint]), let t = Int(f[tail.breakpoint])
            else { return nil }
            return [
                IGVSession.windowLocus(chromosome: f[head.chromosome], breakpoint: h),
                IGVSession.windowLocus(chromosome: f[tail.chromosome], breakpoint: t),
            ]
        }
    }

    /// Refuses an explain folder made from another input or model: its figures are linked by row
    /// number, so each explained fusion's P(positive) (explain's summary) must be its row's in the
    /// predictions. The two are computed apart, so they agree to float rounding, not to the bit.
    private static func requireSameFusions(_ explained: ExplainFolder, as predictions: ResultsTable) throws {
        // Folders from before explain wrote a summary have nothing to check against.
        guard FileManager.default.fileExists(atPath: explained.summary) else { return }
        let summary = try ExplainSummaryTable.schema(top: "").read(explained.summary)
        let (id, explainedP) = (
            try summary.index(of: ExplainSummaryTable.id), try summary.index(of: ExplainSummaryTable.probability)
        )
        let predicted = try predictions.index(of: PredictionsTable.positiveProbability)
        for row in summary.rows where row.fields.count > max(id, explainedP) {
            guard let n = FusionID.row(of: row.fields[id]), let p = Float(row.fields[explainedP]), p.isFinite else {
                continue
            }
            let fields = n <= predictions.rows.count ? predictions.rows[n - 1].fields : []
            let q = predicted < fields.count ? Float(fields[predicted]) : nil
            guard let q, abs(p - q) <= 1e-3 else {
                throw ResultsFileError(
                    .mismatched, path: explained.summary, line: row.line,
                    "\(row.fields[id]) has P(positive) \(p), but row \(n) of \(predictions.path) "
                        + (q.map { "has \($0)" } ?? "has no such score")
                        + ": this explain folder was made from another input or model; give the folder `explain` "
                        + "wrote for these predictions")
            }
        }
    }

    /// The landscape figures (the top-FIS one only when something was explained) and the forest plot.
    private static func featureFigures(_ features: FeaturesFolder) throws -> [Figure] {
        let captions: [(FeaturesFolder.Output, String)] = [
            (.landscape, "Mean covered fraction of each feature across the breakpoint windows"),
            (
                .landscapeTop,
                "The same over the top-FIS positions only: which share of them each feature covers, bin by bin"
            ),
            (.enrichment, "Feature enrichment: odds ratios with 95% intervals"),
        ]
        return try captions.compactMap { output, caption in
            let path = features.figure(output)
            if output == .landscapeTop, !FileManager.default.fileExists(atPath: path) { return nil }
            return (output.rawValue, caption, try ResultsTable.text(path))
        }
    }

    /// The headline numbers: fusions, positive calls, explained fusions, and the features enriched
    /// or depleted in top-FIS regions at BH q < 0.05.
    static func summary(_ predictions: ResultsTable, explained: Int, enrichment: ResultsTable?) -> [Fact] {
        let rows = predictions.rows.map(\.fields)
        var lines = [Fact("fusions", String(rows.count))]
        if let call = predictions.header.firstIndex(of: PredictionsTable.call) {
            let positive = rows.filter { call < $0.count && $0[call] == PredictionCall.positive.rawValue }
            lines.append(Fact("called positive", String(positive.count)))
        }
        lines.append(Fact("explained", String(explained)))
        guard let enrichment, let test = enrichment.header.firstIndex(of: EnrichmentTable.test),
            let feature = enrichment.header.firstIndex(of: EnrichmentTable.feature),
            let odds = enrichment.header.firstIndex(of: EnrichmentTable.oddsRatio),
            let q = enrichment.header.firstIndex(of: EnrichmentTable.qValue)
        else { return lines }
        let significant = enrichment.rows.map(\.fields).filter {
            $0.count == enrichment.header.count && $0[test] == EnrichmentTable.Test.topFISVersusRest.rawValue
                && (Double($0[q]) ?? 1) < 0.05
        }
        for (label, keep) in [
            ("enriched in top-FIS regions (q < 0.05)", { (r: Double) in r > 1 }),
            ("depleted in top-FIS regions (q < 0.05)", { $0 < 1 }),
        ] {
            let names = significant.filter { keep(Double($0[odds]) ?? 1) }.map {
                "\($0[feature]) (OR \(String(format: "%.2f", Double($0[odds]) ?? .nan)))"
            }
            if !names.isEmpty { lines.append(Fact(label, names.joined(separator: ", "))) }
        }
        return lines
    }
}
