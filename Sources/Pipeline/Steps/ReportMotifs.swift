import Foundation
import Reports
import Results

/// The report's Motifs section, from a `fusionai seqlets` folder (and the `motifs match` table of its
/// patterns): where seqlets fall relative to the breakpoints, each discovered pattern's logos with
/// its top database match, and the patterns table.
enum ReportMotifs {
    /// The section's figures and table; the table is empty when nothing was discovered.
    struct Content {
        let figures: [(id: String, caption: String, svg: String)]
        let header: [String]
        let rows: [[String]]
    }

    /// - Throws: ``ResultsFileError`` for a folder that is not what `seqlets` writes, or a matches
    ///   table that is not `motifs match` output.
    static func content(seqlets folder: String, matches: String?) throws -> Content {
        let seqlets = SeqletsFolder(path: folder)
        let table = try SeqletsTable.schema.read(seqlets.table)
        var figures = [
            (
                id: "seqlet-positions",
                caption: "Seqlets by distance to the breakpoint (fusionai seqlets), head and tail windows, "
                    + "positive and negative contributions; \(table.rows.count) seqlet(s)",
                svg: try positionsFigure(table)
            )
        ]
        let top = try matches.map(topMatches) ?? [:]
        let patterns = seqlets.patterns
        guard FileManager.default.fileExists(atPath: patterns.table) else {
            return Content(figures: figures, header: [], rows: [])
        }
        let found = try PatternsTable.schema.read(patterns.table)
        let name = try found.index(of: PatternsTable.pattern)
        var rows: [[String]] = []
        for row in found.rows where name < row.fields.count {
            let pattern = row.fields[name]
            let match = top[pattern]
            rows.append(row.fields + [match?.target ?? "NA", match?.qValue ?? "NA"])
            let logos = [patterns.pwmLogo(pattern), patterns.cwmLogo(pattern)].filter {
                FileManager.default.fileExists(atPath: $0)
            }
            guard !logos.isEmpty else { continue }
            let svg = try logos.map { try ResultsTable.text($0) }.joined(separator: "\n")
            let matched = match.map { "; top match \($0.target) (q = \($0.qValue))" } ?? ""
            figures.append((id: "pattern-" + pattern, caption: "\(pattern): PWM and CWM logos\(matched)", svg: svg))
        }
        return Content(figures: figures, header: found.header + ["top_match", "top_match_q"], rows: rows)
    }

    /// The best target of each query in a `motifs match` table: its first row (rows are by p-value).
    private static func topMatches(_ path: String) throws -> [String: (target: String, qValue: String)] {
        let table = try MotifMatchTable.schema.read(path)
        let query = try table.index(of: MotifMatchTable.queryID)
        let target = try table.index(of: MotifMatchTable.targetID)
        let q = try table.index(of: MotifMatchTable.qValue)
        var top: [String: (target: String, qValue: String)] = [:]
        for row in table.rows where row.fields.count > max(query, target, q) && top[row.fields[query]] == nil {
            top[row.fields[query]] = (row.fields[target], row.fields[q])
        }
        return top
    }

    /// Seqlet counts in 40 bins of distance to the breakpoint, one line per part and sign.
    private static func positionsFigure(_ table: ResultsTable) throws -> String {
        let part = try table.index(of: SeqletsTable.part)
        let sign = try table.index(of: SeqletsTable.sign)
        let distance = try table.index(of: SeqletsTable.distance)
        let points = table.rows.compactMap { row -> (series: String, distance: Double)? in
            guard row.fields.count > max(part, sign, distance), let d = Double(row.fields[distance]) else { return nil }
            let contribution = ["+": "positive", "-": "negative"][row.fields[sign]] ?? row.fields[sign]
            return ("\(row.fields[part]), \(contribution)", d)
        }
        // Distances are from the nearer end of a seqlet to its window's breakpoint: 0 up.
        let lowest = 0.0
        let width = max(1, (points.map(\.distance).max() ?? 1) / 40)
        let colors = ["#1F77B4", "#D62728", "#2CA02C", "#FF7F0E"]
        let series = Set(points.map(\.series)).sorted().enumerated().map { index, name in
            var counts = [Int](repeating: 0, count: 41)
            for point in points where point.series == name { counts[Int((point.distance - lowest) / width)] += 1 }
            return LinePlot.Series(
                name: name, color: colors[index % colors.count],
                points: counts.enumerated().map { (lowest + (Double($0.offset) + 0.5) * width, Double($0.element)) })
        }
        return LinePlot.svg(
            title: "Where seqlets fall", xLabel: "distance to the breakpoint (nt)", yLabel: "seqlets", series: series,
            xRange: 0...(41 * width))
    }
}
