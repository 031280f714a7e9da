import Foundation
import Results
import SeededRandom
import Support

/// Seqlets of every fusion in an explain folder, streamed one batch of fusions at a time: per
/// fusion and pooled as BED (genome coordinates) and tables, and, with ``discovery``, the
/// patterns of a bounded, seeded sample of them.
public struct SeqletsJob: Sendable {
    public var caller = SeqletCaller()
    /// Discovery settings; nil calls seqlets only. Its seqlet length is taken from ``caller``.
    public var discovery: PatternDiscovery?
    /// Seqlets of each sign kept for discovery (a reservoir sample: memory does not grow with the run).
    public var maxSeqletsPerSign = 20_000
    public var threads = 1

    public init() {}

    /// What a run found.
    public struct Found: Sendable {
        public let fusions: Int
        public let positiveSeqlets: Int
        public let negativeSeqlets: Int
        /// Seqlets lying wholly on padding past a chromosome end (not written).
        public let unplaced: Int
        /// Fusions without `ID.hyp.npy` (discovery used their scores at the present bases).
        public let withoutHypothetical: Int
        /// Fusions whose `ID.hyp.npy` holds NaN or infinite values: left out of discovery.
        public let nonFiniteHypothetical: Int
        /// Fusions whose scores hold NaN or infinite values (a damaged explain folder): not called,
        /// since a NaN sum passes no threshold and poisons the permutation null of the whole fusion.
        public let nonFinite: Int
        /// Their NaN or infinite positions, in all.
        public let nonFinitePositions: Int
        /// Parts (head or tail windows as the model reads them) shorter than a seqlet (`window + 2 *
        /// flank`), where none can be called.
        public let shortParts: Int
        /// Seqlets of each sign discovery saw (the sample), positive then negative.
        public let sampled: [Int]
        public let patterns: [Pattern]
    }

    /// - Throws: ``SeqletsError`` for unusable explain files or an empty folder, ``ResultsFileError``
    ///   for an unreadable folder, ``OutputError``.
    public func run(explain: ExplainFolder, into output: SeqletsFolder, progress: (Int) -> Void = { _ in }) throws
        -> Found
    {
        let ids = try explain.explainedIDs().sorted { $0.localizedStandardCompare($1) == .orderedAscending }
        guard !ids.isEmpty else {
            throw SeqletsError(
                .noFusions, path: explain.path, "holds no explained fusion: give `fusionai explain -o`'s folder")
        }
        try FileManager.default.createDirectory(atPath: output.path, withIntermediateDirectories: true)
        // Per-fusion files and patterns are staged: a run that fails part way leaves the folder as the
        // last run left it (its pooled files and per-fusion files then disagreed).
        let fusionFiles = try StagedFolder(replacing: output.fusions)
        let patternFiles = try discovery.map { _ in try StagedFolder(replacing: output.patterns.path) }
        let bed = try OutputFile(path: output.bed)
        let table = try OutputFile(path: output.table)
        let summary = try OutputFile(path: output.summary)
        try table.write(SeqletsTable.schema.header())
        try summary.write(SeqletsSummaryTable.schema.header())
        // Positive then negative.
        var samples = (0..<2).map {
            Reservoir<SeqletWindow>(
                capacity: maxSeqletsPerSign, seed: (discovery?.seed ?? self.caller.seed) &+ UInt64($0))
        }
        var counts = Counts()
        let padding = discovery?.padding ?? 0
        let caller = self.caller
        let discovering = discovery != nil
        for first in stride(from: 0, to: ids.count, by: max(1, threads)) {
            let batch = Array(ids[first..<min(ids.count, first + max(1, threads))])
            let results = parallelMap(count: batch.count, threads: threads) { i in
                Result { () throws -> Called in
                    let fusion = try ExplainedFusion.read(id: batch[i], folder: explain)
                    let called =
                        fusion.scores.allSatisfy(\.isFinite)
                        ? caller.call(fusion.scores, partLengths: fusion.parts.map(\.count), key: fusion.id)
                        : SeqletCaller.Called(seqlets: [], thresholds: .init(positive: nil, negative: nil))
                    // NaN hypothetical contributions would poison every pattern the seqlets join.
                    let windows =
                        discovering && fusion.hypothetical.allSatisfy(\.isFinite)
                        ? called.seqlets.map { SeqletWindow($0, in: fusion, padding: padding) } : []
                    return Called(fusion: fusion, called: called, windows: windows)
                }
            }
            for result in results {
                let c = try result.get()
                let written = try write(c, output: output, staged: fusionFiles.path, bed: bed, table: table)
                counts.unplaced += c.called.seqlets.count - written
                counts.positive += c.called.seqlets.filter { $0.sign == .positive }.count
                counts.negative += c.called.seqlets.filter { $0.sign == .negative }.count
                if !c.fusion.hasHypothetical { counts.withoutHypothetical += 1 }
                // Without ID.hyp.npy the scores stand in, and their NaN is counted as such below.
                if c.fusion.hasHypothetical, !c.fusion.hypothetical.allSatisfy(\.isFinite) {
                    counts.nonFiniteHypothetical += 1
                }
                counts.shortParts += c.fusion.parts.count(where: { $0.count < caller.window + 2 * caller.flank })
                let nonFinite = c.fusion.scores.count(where: { !$0.isFinite })
                if nonFinite > 0 {
                    counts.nonFinite += 1
                    counts.nonFinitePositions += nonFinite
                }
                let t = c.called.thresholds
                try summary.write(
                    SeqletsSummaryTable.schema.line([
                        c.fusion.id, t.positive.map { "\($0)" } ?? "NA", t.negative.map { "\($0)" } ?? "NA",
                        "\(c.called.seqlets.filter { $0.sign == .positive }.count)",
                        "\(c.called.seqlets.filter { $0.sign == .negative }.count)",
                        c.fusion.hasHypothetical ? "yes" : "no",
                    ]))
                for (seqlet, window) in zip(c.called.seqlets, c.windows) {
                    samples[seqlet.sign == .positive ? 0 : 1].offer(window)
                }
            }
            progress(min(ids.count, first + batch.count))
        }
        var patterns: [Pattern] = []
        if var discovery, let patternFiles {
            discovery.threads = threads
            discovery.seqletLength = caller.window + 2 * caller.flank
            patterns =
                discovery.discover(samples[0].items, sign: .positive)
                + discovery.discover(samples[1].items, sign: .negative)
            try PatternOutputs(folder: PatternsFolder(path: patternFiles.path)).write(patterns)
        }
        try fusionFiles.commit()
        // Without discovery, an earlier run's patterns would stand beside this run's seqlets.
        if let patternFiles { try patternFiles.commit() } else { try ResultsFolder.remove(output.patterns.path) }
        try bed.commit()
        try table.commit()
        try summary.commit()
        return Found(
            fusions: ids.count, positiveSeqlets: counts.positive, negativeSeqlets: counts.negative,
            unplaced: counts.unplaced, withoutHypothetical: counts.withoutHypothetical,
            nonFiniteHypothetical: counts.nonFiniteHypothetical, nonFinite: counts.nonFinite,
            nonFinitePositions: counts.nonFinitePositions, shortParts: counts.shortParts,
            sampled: samples.map(\.items.count), patterns: patterns)
    }

    private struct Counts {
        var nonFinite = 0
        var nonFinitePositions = 0
        var shortParts = 0
        var positive = 0
        var negative = 0
        var unplaced = 0
        var withoutHypothetical = 0
        var nonFiniteHypothetical = 0
    }

    /// One fusion read and called.
    private struct Called: Sendable {
        let fusion: ExplainedFusion
        let called: SeqletCaller.Called
        /// The seqlets' windows for discovery, in the seqlets' order (empty without discovery).
        let windows: [SeqletWindow]
    }

    /// Writes a fusion's seqlets to its own files and the pooled ones; returns how many were placed.
    private func write(_ c: Called, output: SeqletsFolder, staged: String, bed: OutputFile, table: OutputFile) throws
        -> Int
    {
        var bedText = ""
        var rows = ""
        let id = c.fusion.id
        // BED's score is an integer from 0 to 1000 (UCSC and bedToBigBed refuse others): the seqlet's
        // |attribution sum| against the fusion's largest, its signed value in the name.
        let largest = c.called.seqlets.map { abs($0.attributionSum) }.max() ?? 0
        for seqlet in c.called.seqlets {
            let part = c.fusion.parts[seqlet.part]
            guard let place = SeqletPlacement(seqlet, part: part) else { continue }
            let score =
                largest > 0 && largest.isFinite ? Int((1000 * abs(seqlet.attributionSum) / largest).rounded()) : 0
            bedText +=
                "\(place.chromosome)\t\(place.start)\t\(place.end)\t"
                + "\(id)|\(part.name)|\(seqlet.sign.rawValue)|\(seqlet.attributionSum)\t"
                + "\(min(max(score, 0), 1000))\t\(place.strand.symbol)\n"
            rows += SeqletsTable.schema.line([
                id, part.name, "\(place.windowStart)", "\(place.windowEnd)", place.chromosome, "\(place.start)",
                "\(place.end)", place.strand.symbol, "\(place.distanceToBreakpoint)", seqlet.sign.rawValue,
                "\(seqlet.attributionSum)", "\(seqlet.windowSum)",
            ])
        }
        try OutputFile.write(bedText, to: output.fusionBED(id, in: staged))
        try OutputFile.write(SeqletsTable.schema.header() + rows, to: output.fusionTable(id, in: staged))
        try bed.write(bedText)
        try table.write(rows)
        return bedText.split(separator: "\n").count
    }
}
