import Fusions
import Genome
import Results

/// Step 2 of the FusionAI protocol: windows in (a prepared file, a FusionAI data file, or any
/// caller's output with a genome), probabilities out, one row per scored input row.
///
/// Rows stream through in batches: memory depends on the batch size, not on the input. Each output
/// row is the input row's own columns (without the two 10-kb window columns, unless
/// `keepSequences`), then the columns of ``PredictionsTable``: P(negative), P(positive) and the call.
public struct PredictJob {
    public struct Summary: Sendable {
        public var rows = 0
        public var scored = 0
        public var positives = 0
        /// Rows whose probabilities were NaN or infinite, written as `NA`.
        public var nonFinite = 0
        public var rejected: [Rejection.Reason: Int] = [:]
        public var totalRejected: Int { rejected.values.reduce(0, +) }
    }

    public let scorer: FusionScorer
    public var genome: ReferenceGenome?
    /// `call` is `positive` when P(positive) >= threshold.
    public var threshold: Float = 0.5
    public var threads = 1
    public var batchSize = 64
    public var keepSequences = false

    public init(scorer: FusionScorer, genome: ReferenceGenome? = nil) {
        self.scorer = scorer
        self.genome = genome
    }

    /// Reads `reader` to the end. The first `skipRows` data rows (scored by the interrupted run a
    /// resumed run continues) are not scored again, but their rejections are reported again, so a
    /// resumed run's rejects and counts equal an uninterrupted run's.
    /// - Parameters:
    ///   - emit: receives output bytes (the header first, unless `writeHeader` is false).
    ///   - reject: receives each rejected row's rejects-file line.
    ///   - checkpoint: called after each batch with the data rows handled so far.
    ///   - progress: rows handled so far and the fraction of the input read.
    public func run(
        _ reader: FusionReader, skipRows: Int = 0, writeHeader: Bool = true,
        emit: ([UInt8]) throws -> Void, reject: (String) throws -> Void = { _ in },
        checkpoint: (Int) throws -> Void = { _ in }, progress: (Int, Double?) -> Void = { _, _ in }
    ) throws -> Summary {
        var summary = Summary()
        let builder = try genome.map { try WindowBuilder(genome: $0, threads: threads) }
        let hasWindowColumns = reader.format == .fusionaiData
        var headerDone = !writeHeader
        var replayed = 0
        var batch: [BatchItem] = []
        var done = false
        while !done {
            batch.removeAll(keepingCapacity: true)
            while batch.count < batchSize, let result = try reader.next() {
                let replay = replayed < skipRows
                switch result {
                case .ignored: continue
                case .record(let r): batch.append(BatchItem(record: r, text: reader.currentText, replayed: replay))
                case .rejected(let why):
                    batch.append(BatchItem(rejection: why, text: reader.currentText, replayed: replay))
                }
                if replay { replayed += 1 }
            }
            done = batch.count < batchSize
            let fresh = batch.count(where: { !$0.replayed })
            summary.rows += fresh

            // Windows: from the genome when given, else from the file itself. Rows an earlier run
            // scored are replayed up to here, so their rejections reach this run's rejects file.
            let records = batch.compactMap(\.record)
            var windows: [Result<(head: [UInt8], tail: [UInt8]), Rejection>]
            if let builder {
                windows = try builder.build(records).map { $0.map { ($0.head, $0.tail) } }
            } else {
                windows = records.map { r in
                    r.windows.map { .success($0) }
                        ?? .failure(
                            Rejection(
                                .unplacedBreakpoint, line: r.line,
                                "no windows in the input: give --genome to build them, "
                                    + "or run `fusionai prepare --genome` first"
                            ))
                }
            }
            let replayedRecord = batch.filter { $0.record != nil }.map(\.replayed)
            let scorable = zip(windows, replayedRecord).compactMap {
                window, replay -> (head: [UInt8], tail: [UInt8])? in
                guard !replay, case .success(let pair) = window else { return nil }
                return pair
            }
            let scores = scorer.score(scorable, threads: threads)

            var next = 0
            var scoreIndex = 0
            for item in batch {
                guard let record = item.record else {
                    if let why = item.rejection { try rejected(why, item.text, &summary, reject) }
                    continue
                }
                defer { next += 1 }
                switch windows[next] {
                case .failure(let why):
                    try rejected(why, item.text, &summary, reject)
                case .success where item.replayed:
                    continue
                case .success:
                    let p = scores[scoreIndex]
                    scoreIndex += 1
                    if !headerDone {
                        try emit(Array(header(reader, record).utf8))
                        headerDone = true
                    }
                    let finite = p.positive.isFinite && p.negative.isFinite
                    let call: PredictionCall =
                        !finite ? .undetermined : p.positive >= threshold ? .positive : .negative
                    var fields =
                        hasWindowColumns && !keepSequences ? withoutWindows(record.sourceFields) : record.sourceFields
                    let missing = PredictionCall.undetermined.rawValue
                    fields +=
                        finite
                        ? [Self.format(p.negative), Self.format(p.positive), call.rawValue]
                        : [missing, missing, missing]
                    try emit(Array((fields.joined(separator: "\t") + "\n").utf8))
                    summary.scored += 1
                    if call == .positive { summary.positives += 1 }
                    if !finite { summary.nonFinite += 1 }
                }
            }
            guard fresh > 0 else { continue }
            try checkpoint(skipRows + summary.rows)
            progress(skipRows + summary.rows, reader.fractionRead)
        }
        if !headerDone, writeHeader {
            try emit(Array(header(reader, nil).utf8))
        }
        return summary
    }

    /// One row of a batch: a record or the reason it was rejected, its text, and whether an
    /// earlier run already scored it (a resumed run replays those rows only for their rejections).
    private struct BatchItem {
        var record: FusionRecord?
        var rejection: Rejection?
        var text: String
        var replayed: Bool
    }

    private func rejected(_ why: Rejection, _ text: String, _ summary: inout Summary, _ reject: (String) throws -> Void)
        throws
    {
        summary.rejected[why.reason, default: 0] += 1
        try reject(why.rejectsLine(row: text))
    }

    /// Probabilities with the digits a float32 holds (shortest round-trip form).
    static func format(_ p: Float) -> String { "\(p)" }

    private func withoutWindows(_ fields: [String]) -> [String] {
        fields.count >= 10 ? Array(fields[..<8] + fields[10...]) : fields
    }

    /// The output header: the input's own (windows left out unless kept), or FusionAI's names and
    /// as many more as `record` has columns (none known when no row was scored).
    private func header(_ reader: FusionReader, _ record: FusionRecord?) -> String {
        var names: [String]
        if let header = reader.header {
            names = header.map { $0.hasPrefix("#") ? String($0.dropFirst()) : $0 }
        } else {
            names = FusionAIColumns.names
            if reader.format == .fusionaiData { names += ["HeadSeq", "TailSeq"] }
            let count = record?.sourceFields.count ?? 0
            if record?.label != nil, names.count < count { names.append("label") }
            while names.count < count {
                names.append("extra\(names.count - (reader.format == .fusionaiData ? 10 : 8) + 1)")
            }
        }
        if reader.format == .fusionaiData, !keepSequences, names.count >= 10 { names = withoutWindows(names) }
        return (names + PredictionsTable.schema.columns).joined(separator: "\t") + "\n"
    }
}

/// FusionAI's own column names.
enum FusionAIColumns {
    static let names = ["Hgene", "Hchr", "Hbp", "Hstrand", "Tgene", "Tchr", "Tbp", "Tstrand"]
}
