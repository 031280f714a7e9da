import Cohort
import Foundation
import Fusions
import Genome
import GenomicFeatures
import Results
import Support

/// `fusionai cohort`: many samples' calls (several callers each) into one table per unique
/// breakpoint pair, each pair scored once, in stages that are also the workflow's rules:
///
/// 1. ``sample(_:log:)`` per sample: its files normalised into `samples/NAME.calls.tsv` and its
///    status (a file that cannot be read fails its sample, with the reason; the others go on);
/// 2. ``pairs(_:log:)``: the calls merged to unique pairs, `pairs.tsv`, cut into chunks;
/// 3. ``score(_:log:)`` per chunk: windows, the score cache, the model for what it lacks;
/// 4. ``merge(_:log:)``: `cohort.tsv`, `calls.tsv`, `genes.tsv`, `samples.tsv`, the report.
///
/// Every file is written atomically and every stage is deterministic, and scores are kept in the
/// cache as they are made: a run killed at any point and run again ends with the same tables,
/// without scoring again what it had scored.
public enum CohortStep {
    /// The sample sheet and the results folder every stage reads and writes.
    public struct Layout: Sendable {
        public var samples: String
        public var output: String

        public init(samples: String, output: String) {
            self.samples = samples
            self.output = output
        }

        var folder: CohortFolder { CohortFolder(path: output) }
    }

    public struct SampleOptions: Sendable {
        public var layout: Layout
        public var sample: String
        /// Gene annotation for callers that give no strands.
        public var annotation: String?

        public init(layout: Layout, sample: String) {
            self.layout = layout
            self.sample = sample
        }
    }

    public struct PairsOptions: Sendable {
        public var layout: Layout
        /// Pairs within this many nt on both sides are merged; 0: exact pairs only.
        public var mergeDistance = 0
        /// Pairs per scoring chunk (one workflow job each).
        public var chunkSize = 2000

        public init(layout: Layout) {
            self.layout = layout
        }
    }

    public struct ScoreOptions: Sendable {
        /// The results folder.
        public var output: String
        /// The chunk's name in `chunks.txt` (`chunk-1`, ...).
        public var chunk: String
        public var genome: String
        public var model: String
        /// The score cache's folder; nil: ``ScoreCache/defaultFolder``.
        public var cache: String?
        public var batchSize = 64
        public var threads = 1

        public init(output: String, chunk: String, genome: String, model: String) {
            self.output = output
            self.chunk = chunk
            self.genome = genome
            self.model = model
        }
    }

    public struct MergeOptions: Sendable {
        public var layout: Layout
        /// As given to the pairs stage: the merge recomputes the pairs and checks they match.
        public var mergeDistance = 0
        /// `call` is positive when P(positive) is at least this; explain takes pairs from it up.
        public var threshold: Float = 0.5
        /// Explain at most this many pairs, the highest-scoring (0: none).
        public var explainMax = 10
        /// Needed to explain.
        public var genome: String?
        public var model: String?
        /// Feature manifest for the explained pairs' feature panels.
        public var features: String?
        public var provenance: ReportStep.Provenance
        public var threads = 1

        public init(layout: Layout, provenance: ReportStep.Provenance) {
            self.layout = layout
            self.provenance = provenance
        }
    }

    /// The whole cohort in one process.
    public struct Options: Sendable {
        public var layout: Layout
        public var genome: String
        public var model: String
        public var annotation: String?
        public var features: String?
        public var mergeDistance = 0
        public var threshold: Float = 0.5
        public var explainMax = 10
        public var chunkSize = 2000
        public var cache: String?
        public var provenance: ReportStep.Provenance
        public var threads = 1

        public init(layout: Layout, genome: String, model: String, provenance: ReportStep.Provenance) {
            self.layout = layout
            self.genome = genome
            self.model = model
            self.provenance = provenance
        }
    }

    /// What became of one sample.
    public struct SampleResult: Sendable, Equatable {
        public let sample: String
        public let calls: Int
        public let rejected: Int
        /// Why the sample was left out (a file of it could not be read); nil when it was used.
        public let failure: String?
    }

    public struct PairsResult: Sendable {
        public let calls: Int
        public let pairs: Int
        public let chunks: [String]
    }

    /// Counts of one chunk (or, summed, of a run).
    public struct ScoreCounts: Sendable, Equatable {
        /// Pairs the model scored.
        public var scored = 0
        /// Pairs the cache held.
        public var cached = 0
        /// Cache entries found corrupt or stale, and scored again.
        public var invalid = 0
        /// Pairs without windows (unknown strand, unplaced chromosome).
        public var unscorable = 0
        /// Scores the cache could not keep (the cache is an aid: the run goes on), and the first reason.
        public var uncached = 0
        public var cacheFailure: String?

        public init() {}

        static func + (a: ScoreCounts, b: ScoreCounts) -> ScoreCounts {
            var sum = a
            sum.scored += b.scored
            sum.cached += b.cached
            sum.invalid += b.invalid
            sum.unscorable += b.unscorable
            sum.uncached += b.uncached
            sum.cacheFailure = sum.cacheFailure ?? b.cacheFailure
            return sum
        }
    }

    public struct MergeResult: Sendable {
        public let pairs: Int
        public let calls: Int
        public let genePairs: Int
        public let positives: Int
        public let failedSamples: [SampleResult]
        public let explained: Int
    }

    public struct Result: Sendable {
        public let samples: [SampleResult]
        public let pairs: PairsResult
        public let scores: ScoreCounts
        public let merge: MergeResult
    }

    /// Every stage, in order, in this process.
    /// - Throws: ``CohortError`` (`noSamples` when no sample could be read), and what the stages throw.
    public static func run(_ options: Options, log: StepLog = .silent) throws -> Result {
        let layout = options.layout
        try OutputTarget.makeFolder(layout.output)
        // Two whole runs into one folder mixed their tables; the stages alone may run side by side.
        let lock = try OutputLock(output: layout.output, folder: true)
        defer { lock.release() }
        // Only a whole run sweeps: stages run side by side on a cluster, where another node's live
        // writer has a process id this node cannot see.
        OutputFile.removeStaleTemporaries(in: layout.output, recursive: true)
        let sheet = try SampleSheet(path: layout.samples)
        try requireInputsOutside(
            layout, sheet: sheet, [options.genome, options.model, options.annotation, options.features])
        // The cache is made after the samples and pairs: a path that cannot be one fails now instead.
        if let cache = options.cache { try makeSharedFolder(cache) }
        // The merge stage reads the tracks after all the scoring: a bad manifest fails now instead.
        if let manifest = options.features { _ = try FeatureManifest.entries(path: manifest) }
        let genes = try options.annotation.map { try GeneAnnotation(gtfPath: $0) }
        var samples: [SampleResult] = []
        for sample in sheet.samples {
            var stage = SampleOptions(layout: layout, sample: sample)
            stage.annotation = options.annotation
            samples.append(try self.sample(stage, sheet: sheet, genes: genes, log: log, warnsFailure: false))
        }
        var pairsOptions = PairsOptions(layout: layout)
        pairsOptions.mergeDistance = options.mergeDistance
        pairsOptions.chunkSize = options.chunkSize
        let pairs = try self.pairs(pairsOptions, log: log)

        var counts = ScoreCounts()
        if !pairs.chunks.isEmpty {
            let context = try ScoringContext(
                genome: options.genome, model: options.model, cache: options.cache, threads: options.threads, log: log)
            let table = try CohortPairsTable.schema.read(layout.folder.pairs)
            for chunk in try ChunkRange.all(layout.folder) {
                counts =
                    counts
                    + (try score(chunk: chunk, of: table, folder: layout.folder, context: context, batchSize: 64))
            }
        }
        log.info(scoreLine(counts, pairs: pairs.pairs))
        cacheWarning(counts).map(log.warning)

        var merge = MergeOptions(layout: layout, provenance: options.provenance)
        merge.mergeDistance = options.mergeDistance
        merge.threshold = options.threshold
        merge.explainMax = options.explainMax
        merge.genome = options.genome
        merge.model = options.model
        merge.features = options.features
        merge.threads = options.threads
        let merged = try self.merge(merge, log: log)
        return Result(samples: samples, pairs: pairs, scores: counts, merge: merged)
    }

    /// Stage 1: one sample's files normalised into its shard, then its status.
    /// - Throws: ``CohortError`` for a sheet that cannot be used or a sample it does not list;
    ///   ``OutputError``. A sample file that cannot be read is not thrown: the sample is failed.
    public static func sample(_ options: SampleOptions, log: StepLog = .silent) throws -> SampleResult {
        try OutputTarget.requireNamed(options.layout.output)
        let sheet = try SampleSheet(path: options.layout.samples)
        try requireInputsOutside(options.layout, sheet: sheet, [options.annotation])
        let genes = try options.annotation.map { try GeneAnnotation(gtfPath: $0) }
        return try sample(options, sheet: sheet, genes: genes, log: log)
    }

    /// Stage 2: the calls of every usable sample merged into unique pairs, `pairs.tsv`, and the chunk list.
    /// - Throws: ``CohortError`` (`staleStage` when a sample's shard is missing, `noSamples` when
    ///   every sample failed); ``OutputError``.
    public static func pairs(_ options: PairsOptions, log: StepLog = .silent) throws -> PairsResult {
        try OutputTarget.requireNamed(options.layout.output)
        let folder = options.layout.folder
        let sheet = try SampleSheet(path: options.layout.samples)
        try requireInputsOutside(options.layout, sheet: sheet, [])
        let shards = try CohortShards(sheet: sheet, folder: folder)
        let pairs = CohortPairs(calls: shards.calls, mergeDistance: options.mergeDistance)
        try CohortTables.writePairs(pairs, to: folder.pairs)
        let size = max(1, options.chunkSize)
        var list = ""
        var chunks: [String] = []
        for (index, start) in stride(from: 0, to: pairs.pairs.count, by: size).enumerated() {
            let name = CohortFolder.chunkName(index)
            chunks.append(name)
            list += "\(name)\t\(start + 1)\t\(min(start + size, pairs.pairs.count))\n"
        }
        try OutputFile.write(list, to: folder.chunkList)
        removeChunks(after: chunks.count, in: folder)
        log.info(
            "\(shards.calls.count) call(s) of \(shards.used) sample(s) make \(pairs.pairs.count) unique breakpoint "
                + "pair(s)\(options.mergeDistance > 0 ? " (merged within \(options.mergeDistance) nt)" : ""), "
                + "\(chunks.count) chunk(s)")
        return PairsResult(calls: shards.calls.count, pairs: pairs.pairs.count, chunks: chunks)
    }

    /// Refuses a sheet, a sample's file or another input that the cohort's outputs would overwrite
    /// (a caller file saved as `OUT/calls.tsv`, a sheet as `OUT/samples.tsv`).
    static func requireInputsOutside(_ layout: Layout, sheet: SampleSheet, _ others: [String?]) throws {
        try OutputTarget.requireInputsOutside(
            [layout.samples] + sheet.entries.map(\.resolved) + others.compactMap { $0 }, of: layout.folder.outputs)
    }

    /// An earlier `pairs` made more chunks: their files, which no merge reads, go.
    private static func removeChunks(after count: Int, in folder: CohortFolder) {
        var index = count
        while (try? FileManager.default.removeItem(atPath: folder.chunk(CohortFolder.chunkName(index)))) != nil {
            index += 1
        }
    }

    /// Stage 3: one chunk's pairs scored, through the cache.
    /// - Throws: ``CohortError`` (`staleStage` for a chunk `chunks.txt` does not list), ``ModelError``,
    ///   ``GenomeError``, ``OutputError``.
    public static func score(_ options: ScoreOptions, log: StepLog = .silent) throws -> ScoreCounts {
        try OutputTarget.requireNamed(options.output)
        let folder = CohortFolder(path: options.output)
        try OutputTarget.requireInputsOutside([options.genome, options.model], of: folder.outputs)
        let context = try ScoringContext(
            genome: options.genome, model: options.model, cache: options.cache, threads: options.threads, log: log)
        guard let range = try ChunkRange.all(folder).first(where: { $0.name == options.chunk }) else {
            throw CohortError(
                .staleStage, path: folder.chunkList, "lists no chunk '\(options.chunk)': rerun `fusionai cohort pairs`")
        }
        let table = try CohortPairsTable.schema.read(folder.pairs)
        let counts = try score(chunk: range, of: table, folder: folder, context: context, batchSize: options.batchSize)
        log.info("\(options.chunk): " + scoreLine(counts, pairs: nil))
        cacheWarning(counts).map(log.warning)
        return counts
    }

    /// Stage 4: the cohort's tables and report from the shards, the pairs and the chunks' scores.
    /// - Throws: ``CohortError`` (`staleStage` when an earlier stage's output is missing or no
    ///   longer matches), and what explain, features and the report throw.
    public static func merge(_ options: MergeOptions, log: StepLog = .silent) throws -> MergeResult {
        try OutputTarget.requireNamed(options.layout.output)
        return try CohortMerge.run(options, log: log)
    }

    static func scoreLine(_ counts: ScoreCounts, pairs: Int?) -> String {
        (pairs.map { "\($0) unique pair(s): " } ?? "")
            + "\(counts.scored) scored by the model, \(counts.cached) from the score cache"
            + (counts.invalid > 0 ? ", \(counts.invalid) corrupt or stale cache entr(ies) recomputed" : "")
            + (counts.unscorable > 0 ? ", \(counts.unscorable) without windows (unscorable)" : "")
    }

    /// The warning for scores the cache could not keep, if any.
    static func cacheWarning(_ counts: ScoreCounts) -> String? {
        counts.cacheFailure.map {
            "\(counts.uncached) score(s) not kept in the score cache (they are in the results; a rerun scores "
                + "them again): \($0)"
        }
    }
}
