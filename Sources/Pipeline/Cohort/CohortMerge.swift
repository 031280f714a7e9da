import Cohort
import Foundation
import Fusions
import Results
import Support

/// Stage 4: the cohort's tables from the shards, `pairs.tsv` and the chunks' scores.
enum CohortMerge {
    /// One pair's score as the chunk file gives it (the text is kept: tables show the model's digits).
    struct PairScore {
        let positive: Float
        let text: String
    }

    /// What the report's cohort view is drawn from.
    struct Merged {
        let calls: [CohortCall]
        let pairs: CohortPairs
        /// Per pair; nil when it could not be scored.
        let scores: [PairScore?]
        let genes: [GenePairRow]
    }

    /// A row of `genes.tsv`.
    struct GenePairRow {
        let head: String
        let tail: String
        let samples: [String]
        let pairs: [Int]
        let calls: Int
        /// The best-scoring pair and its score, when any was scored.
        let best: (pair: Int, score: PairScore)?
    }

    static func run(_ options: CohortStep.MergeOptions, log: StepLog) throws -> CohortStep.MergeResult {
        let folder = options.layout.folder
        let sheet = try SampleSheet(path: options.layout.samples)
        try CohortStep.requireInputsOutside(
            options.layout, sheet: sheet, [options.genome, options.model, options.features])
        let shards = try CohortShards(sheet: sheet, folder: folder)
        let pairs = CohortPairs(calls: shards.calls, mergeDistance: options.mergeDistance)
        try checkPairsFile(pairs, folder: folder)
        let scores = try readScores(pairs.pairs.map(\.key), folder: folder, model: options.model)
        let merged = Merged(
            calls: shards.calls, pairs: pairs, scores: scores,
            genes: genePairs(shards.calls, pairs, scores))
        let positives = try writeTables(merged, options, folder: folder, statusRows: shards.statusRows)
        try MultiQCStep.run(
            .init(
                samples: multiQCSamples(merged, sheet.samples, threshold: options.threshold),
                callRule: "P >= \(options.threshold) (the pair's score)", folder: folder.multiQC),
            log: log)
        for failed in shards.failed { log.warning("sample \(failed.sample) left out: \(failed.reason)") }
        log.info(
            "\(shards.used) of \(sheet.samples.count) sample(s) used, \(shards.calls.count) call(s), "
                + "\(pairs.pairs.count) unique pair(s), \(merged.genes.count) gene pair(s), \(positives) pair(s) "
                + "called positive at \(options.threshold) into \(folder.cohort)")
        let explained = try CohortReport.write(merged, options, folder: folder, sheet: sheet, shards: shards, log: log)
        let failed = shards.failed.map {
            CohortStep.SampleResult(sample: $0.sample, calls: 0, rejected: 0, failure: $0.reason)
        }
        return CohortStep.MergeResult(
            pairs: pairs.pairs.count, calls: shards.calls.count, genePairs: merged.genes.count, positives: positives,
            failedSamples: failed, explained: explained)
    }

    /// `pairs.tsv` must list the pairs the shards make now: chunks were scored from it.
    private static func checkPairsFile(_ pairs: CohortPairs, folder: CohortFolder) throws {
        let table = try CohortPairsTable.schema.read(folder.pairs)
        let stale = CohortError(
            .staleStage, path: folder.pairs,
            "does not list the pairs the sample shards make now: rerun `fusionai cohort pairs` and the scoring (or "
                + "give merge the --merge-distance pairs was given)")
        guard table.rows.count == pairs.pairs.count else { throw stale }
        for (row, pair) in zip(table.rows, pairs.pairs)
        where Array(row.fields.dropFirst()) != CohortCall.breakpointFields(pair.head, pair.tail) {
            throw stale
        }
    }

    /// Every pair's score from the chunk files `chunks.txt` lists. Every chunk must have been scored
    /// for the pairs `pairs.tsv` lists now, by one model (the one given, when `model` is), and hold
    /// a row for each of its pairs with a probability, or `NA` when it was unscorable.
    private static func readScores(_ keys: [PairKey], folder: CohortFolder, model: String?) throws -> [PairScore?] {
        let count = keys.count
        var scores = [PairScore?](repeating: nil, count: count)
        var seen = [Bool](repeating: false, count: count)
        let expected = try model.map { (digest: try ContentDigest.file($0), source: "--model \($0)") }
        var scoredBy: (digest: String, source: String)? = expected
        let chunks = try ChunkRange.all(folder)
        for chunk in chunks {
            let path = folder.chunk(chunk.name)
            let rescore = "rerun `fusionai cohort score --chunk \(chunk.name)`"
            guard FileManager.default.fileExists(atPath: path) else {
                throw CohortError(
                    .staleStage, path: path, "is missing: run `fusionai cohort score --chunk \(chunk.name)` first")
            }
            let table = try CohortScoresTable.schema.read(path)
            let column = try Column(table)
            for row in table.rows {
                guard row.fields.count == table.header.count else {
                    throw CohortError(
                        .malformedRow, path: path, line: row.line,
                        "has \(row.fields.count) field(s) where the header has \(table.header.count): the file was cut "
                            + "or edited; \(rescore)")
                }
                guard let pair = Int(row.fields[0]), (chunk.first...chunk.last).contains(pair), pair <= count,
                    row.fields[column.breakpoints] == keys[pair - 1].label
                else {
                    throw CohortError(
                        .staleStage, path: path, line: row.line,
                        "was scored for other pairs than pairs.tsv lists now: \(rescore)")
                }
                let digest = row.fields[column.model]
                guard digest.count == 32, digest.allSatisfy(\.isHexDigit) else {
                    throw CohortError(
                        .malformedRow, path: path, line: row.line,
                        "has '\(digest)' as \(CohortScoresTable.model), not a digest: the file was cut or edited; "
                            + rescore)
                }
                if let scoredBy, digest != scoredBy.digest {
                    throw CohortError(
                        .otherModel, path: path, line: row.line,
                        "was scored by another model (digest \(digest)) than \(scoredBy.source) (digest "
                            + "\(scoredBy.digest)): score every chunk with one model")
                }
                scoredBy = scoredBy ?? (digest, "\(path) line \(row.line)")
                seen[pair - 1] = true
                scores[pair - 1] = try score(row, column, path: path, rescore: rescore)
            }
        }
        if let missing = seen.firstIndex(of: false) {
            let pair = missing + 1
            guard let chunk = chunks.first(where: { ($0.first...$0.last).contains(pair) }) else {
                throw CohortError(
                    .staleStage, path: folder.chunkList,
                    "no chunk covers pair \(pair): rerun `fusionai cohort pairs` and the scoring")
            }
            throw CohortError(
                .staleStage, path: folder.chunk(chunk.name),
                "has no row for pair \(pair) (the file was cut or edited): "
                    + "rerun `fusionai cohort score --chunk \(chunk.name)`")
        }
        return scores
    }

    /// The columns of a chunk file that the merge reads.
    private struct Column {
        let breakpoints: Int
        let positive: Int
        let status: Int
        let model: Int

        init(_ table: ResultsTable) throws {
            breakpoints = try table.index(of: CohortScoresTable.breakpoints)
            positive = try table.index(of: CohortScoresTable.positive)
            status = try table.index(of: CohortScoresTable.status)
            model = try table.index(of: CohortScoresTable.model)
        }
    }

    /// A chunk row's score: a probability for a scored or cached pair, none for an unscorable one.
    private static func score(_ row: ResultsTable.Row, _ column: Column, path: String, rescore: String) throws
        -> PairScore?
    {
        let text = row.fields[column.positive]
        let status = row.fields[column.status]
        if status == CohortScoresTable.unscorable, text == PredictionCall.undetermined.rawValue { return nil }
        guard status == CohortScoresTable.scored || status == CohortScoresTable.cached, let p = Float(text),
            (0...1).contains(p)
        else {
            throw CohortError(
                .malformedRow, path: path, line: row.line,
                "holds '\(status)' with \(CohortScoresTable.positive) '\(text)', not a probability: the file was "
                    + "edited or damaged; \(rescore)")
        }
        return PairScore(positive: p, text: text)
    }

    /// Gene pairs by recurrence (samples), then best score, then name.
    static func genePairs(_ calls: [CohortCall], _ pairs: CohortPairs, _ scores: [PairScore?]) -> [GenePairRow] {
        var byGenes: [[String]: [Int]] = [:]
        for (p, pair) in pairs.pairs.enumerated() { byGenes[[pair.head.gene, pair.tail.gene], default: []].append(p) }
        let rows = byGenes.map { genes, members -> GenePairRow in
            let memberCalls = members.flatMap { pairs.pairs[$0].calls }
            let best = members.compactMap { p in scores[p].map { (pair: p, score: $0) } }
                .max {
                    $0.score.positive != $1.score.positive ? $0.score.positive < $1.score.positive : $0.pair > $1.pair
                }
            return GenePairRow(
                head: genes[0], tail: genes[1], samples: Set(memberCalls.map { calls[$0].sample }).sorted(),
                pairs: members, calls: memberCalls.count, best: best)
        }
        return rows.sorted { a, b in
            if a.samples.count != b.samples.count { return a.samples.count > b.samples.count }
            let (pa, pb) = (a.best?.score.positive ?? -1, b.best?.score.positive ?? -1)
            if pa != pb { return pa > pb }
            return (a.head, a.tail) < (b.head, b.tail)
        }
    }

    /// Each sample's calls with their pairs' scores (nil for a pair without one), in the sheet's order.
    private static func multiQCSamples(_ merged: Merged, _ names: [String], threshold: Float) -> [MultiQCStep.Sample] {
        var scores: [String: [Float?]] = [:]
        for (i, call) in merged.calls.enumerated() {
            scores[call.sample, default: []].append(merged.scores[merged.pairs.pairOfCall[i]]?.positive)
        }
        return names.map { name in
            let calls = scores[name] ?? []
            return MultiQCStep.Sample(
                name: name, scores: calls, positives: calls.filter { ($0 ?? -1) >= threshold }.count)
        }
    }

    /// Writes cohort.tsv, calls.tsv, genes.tsv and samples.tsv; returns the pairs called positive.
    private static func writeTables(
        _ merged: Merged, _ options: CohortStep.MergeOptions, folder: CohortFolder, statusRows: [[String]]
    ) throws -> Int {
        let call = { (score: PairScore?) -> [String] in
            guard let score else { return ["NA", "NA"] }
            let positive = score.positive >= options.threshold
            return [score.text, (positive ? PredictionCall.positive : PredictionCall.negative).rawValue]
        }
        let merging = options.mergeDistance > 0
        let cohort = try OutputFile(path: folder.cohort)
        try cohort.write(CohortTable.schema.header(extra: merging ? CohortTable.merged : []))
        var positives = 0
        for (p, pair) in merged.pairs.pairs.enumerated() {
            let samples = Set(pair.calls.map { merged.calls[$0].sample }).sorted()
            let callers = Set(pair.calls.map { merged.calls[$0].caller }).sorted()
            if let score = merged.scores[p], score.positive >= options.threshold { positives += 1 }
            var fields = CohortCall.breakpointFields(pair.head, pair.tail)
            fields += [
                samples.joined(separator: ","), String(samples.count), callers.joined(separator: ","),
                String(callers.count),
            ]
            fields += call(merged.scores[p])
            if merging { fields += [String(pair.mergedPairs), String(pair.headSpread), String(pair.tailSpread)] }
            try cohort.write(CohortTable.schema.line(fields))
        }
        let calls = try OutputFile(path: folder.calls)
        try calls.write(CohortCallsTable.schema.header())
        for (i, c) in merged.calls.enumerated() {
            let p = merged.pairs.pairOfCall[i]
            try calls.write(CohortCallsTable.schema.line(c.fields + [String(p + 1)] + call(merged.scores[p])))
        }
        let genes = try OutputFile(path: folder.genes)
        try genes.write(CohortGenesTable.schema.header())
        for row in merged.genes {
            try genes.write(
                CohortGenesTable.schema.line([
                    row.head, row.tail, String(row.samples.count), row.samples.joined(separator: ","),
                    String(row.pairs.count), String(row.calls), row.best?.score.text ?? "NA",
                    row.best.map { String($0.pair + 1) } ?? "NA",
                ]))
        }
        let samples = try OutputFile(path: folder.sampleSummary)
        try samples.write(CohortSamplesTable.schema.header() + statusRows.map(CohortSamplesTable.schema.line).joined())
        // All four or none: committed together once every one is written.
        for file in [cohort, calls, genes, samples] { try file.commit() }
        return positives
    }
}

/// `pairs.tsv`.
enum CohortTables {
    static func writePairs(_ pairs: CohortPairs, to path: String) throws {
        let out = try OutputFile(path: path)
        try out.write(CohortPairsTable.schema.header())
        for (p, pair) in pairs.pairs.enumerated() {
            try out.write(
                CohortPairsTable.schema.line([String(p + 1)] + CohortCall.breakpointFields(pair.head, pair.tail)))
        }
        try out.commit()
    }
}
