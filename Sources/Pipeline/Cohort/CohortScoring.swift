import Cohort
import Foundation
import FusionAI
import Fusions
import Genome
import NeuralNet
import Results
import Support

/// What scoring needs, loaded once per process: the model, the genome's window builder, the cache.
struct ScoringContext {
    let scorer: FusionScorer
    let builder: WindowBuilder
    let cache: ScoreCache
    let threads: Int

    init(genome: String, model: String, cache: String?, threads: Int, log: StepLog) throws {
        let loaded = try ModelFile.load(model)
        if loaded.isUntrained {
            log.warning("model \(model) has random, untrained weights: its scores mean nothing")
        }
        scorer = try FusionScorer(model: loaded)
        builder = try WindowBuilder(genome: try ReferenceGenome(path: genome), threads: threads)
        guard let folder = cache ?? ScoreCache.defaultFolder else {
            throw OutputError(.badPath, path: "-", "no folder for the score cache: give --cache DIR")
        }
        self.cache = try ScoreCache(folder: folder, model: model)
        self.threads = threads
        log.info("score cache \(folder), model digest \(self.cache.modelDigest)")
    }
}

/// One chunk's row of `chunks.txt`: its name and the 1-based pairs it covers.
struct ChunkRange {
    let name: String
    let first: Int
    let last: Int

    /// Every chunk `chunks.txt` lists.
    /// - Throws: ``CohortError/Code/staleStage`` when it is missing or does not parse.
    static func all(_ folder: CohortFolder) throws -> [ChunkRange] {
        guard let data = FileManager.default.contents(atPath: folder.chunkList) else {
            throw CohortError(.staleStage, path: folder.chunkList, "is missing: run `fusionai cohort pairs` first")
        }
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated().map { n, line in
            let f = line.split(separator: "\t")
            // A name is part of a path: only the names `pairs` writes, never `../pairs`.
            guard f.count == 3, CohortFolder.isChunkName(String(f[0])), let first = Int(f[1]), let last = Int(f[2]),
                first >= 1, last >= first - 1
            else {
                throw CohortError(
                    .staleStage, path: folder.chunkList, line: n + 1,
                    "is not a chunk line: rerun `fusionai cohort pairs`")
            }
            return ChunkRange(name: String(f[0]), first: first, last: last)
        }
    }
}

extension CohortStep {
    /// Scores the pairs of `chunk` into its file.
    /// - Parameter table: `pairs.tsv`, read once by the caller (a run scores many chunks of it).
    static func score(
        chunk range: ChunkRange, of table: ResultsTable, folder: CohortFolder, context: ScoringContext, batchSize: Int
    ) throws -> ScoreCounts {
        let chunk = range.name
        guard table.rows.count >= range.last else {
            throw CohortError(
                .staleStage, path: folder.pairs,
                "has \(table.rows.count) pairs but \(chunk) ends at pair \(range.last): rerun `fusionai cohort pairs`")
        }
        try makeSharedFolder(folder.chunks)
        let out = try OutputFile(path: folder.chunk(chunk))
        try out.write(CohortScoresTable.schema.header())
        var counts = ScoreCounts()
        let rows = Array(table.rows[(range.first - 1)..<range.last])
        for start in stride(from: 0, to: rows.count, by: max(1, batchSize)) {
            let batch = Array(rows[start..<min(start + batchSize, rows.count)])
            for line in try scoreBatch(batch, path: table.path, context: context, counts: &counts) {
                try out.write(CohortScoresTable.schema.line(line))
            }
        }
        try out.commit()
        return counts
    }

    /// The chunk file's lines of one batch of `pairs.tsv` rows.
    private static func scoreBatch(
        _ rows: [ResultsTable.Row], path: String, context: ScoringContext, counts: inout ScoreCounts
    ) throws -> [[String]] {
        var labels: [String] = []
        let records = try rows.map { row -> FusionRecord in
            guard row.fields.count == CohortPairsTable.schema.columns.count, let pair = Partners(row.fields.dropFirst())
            else {
                throw CohortError(
                    .staleStage, path: path, line: row.line, "is not a row of pairs.tsv: rerun `fusionai cohort pairs`")
            }
            labels.append(PairKey(head: pair.head, tail: pair.tail).label)
            return FusionRecord(head: pair.head, tail: pair.tail, line: row.line, sourceFields: [])
        }
        let windows = try context.builder.build(records)
        var keys: [String?] = []
        var found: [ScoreCache.Lookup] = []
        var missing: [Int] = []
        for (i, window) in windows.enumerated() {
            guard case .success(let w) = window else {
                keys.append(nil)
                found.append(.miss)
                continue
            }
            let key = context.cache.key(head: w.head, tail: w.tail)
            keys.append(key)
            let lookup = context.cache.lookup(key)
            found.append(lookup)
            if case .hit = lookup { continue }
            missing.append(i)
        }
        let pairs = missing.compactMap { i -> (head: [UInt8], tail: [UInt8])? in
            guard case .success(let w) = windows[i] else { return nil }
            return (w.head, w.tail)
        }
        var fresh: [Int: ScoreCache.Score] = [:]
        for (i, p) in zip(missing, context.scorer.score(pairs, threads: context.threads)) {
            let score = ScoreCache.Score(negative: p.negative, positive: p.positive)
            if let key = keys[i] {
                do {
                    try context.cache.store(score, key: key)
                } catch {
                    counts.uncached += 1
                    counts.cacheFailure = counts.cacheFailure ?? SystemReason.line(for: error)
                }
            }
            fresh[i] = score
        }
        let na = PredictionCall.undetermined.rawValue
        let lines = rows.enumerated().map { i, row in
            let pair = [row.fields[0], labels[i]]
            switch (windows[i], found[i], fresh[i]) {
            case (.failure(let why), _, _):
                counts.unscorable += 1
                return pair + [na, na, CohortScoresTable.unscorable, "\(why.reason.rawValue): \(oneLine(why.detail))"]
            case (_, .hit(let score), _):
                counts.cached += 1
                return pair + ["\(score.negative)", "\(score.positive)", CohortScoresTable.cached, ""]
            case (_, let lookup, let score?):
                counts.scored += 1
                var reason = ""
                if case .invalid(let why) = lookup {
                    counts.invalid += 1
                    reason = "cache entry recomputed: \(why)"
                }
                return pair + ["\(score.negative)", "\(score.positive)", CohortScoresTable.scored, reason]
            default:
                counts.unscorable += 1
                return pair + [na, na, CohortScoresTable.unscorable, "no score"]
            }
        }
        return lines.map { $0 + [context.cache.modelDigest] }
    }
}
