// The folder `fusionai seqlets` writes and its tables' columns, spelled once (names shared with
// explain's tables are taken from them).

/// The folder `seqlets` writes: pooled seqlets, per fusion seqlets, and discovered patterns.
public struct SeqletsFolder: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Every fusion's seqlets, BED6 in genome coordinates.
    public var bed: String { file("seqlets.bed") }
    public var table: String { file(SeqletsTable.schema.file) }
    public var summary: String { file(SeqletsSummaryTable.schema.file) }
    /// The folder of the per-fusion files.
    public var fusions: String { file("fusions") }
    /// A fusion's seqlets as BED, in ``fusions`` or in `folder` (where a run stages them).
    public func fusionBED(_ id: String, in folder: String? = nil) -> String {
        (folder ?? fusions) + "/" + id + ".seqlets.bed"
    }
    /// A fusion's seqlets as a table, in ``fusions`` or in `folder` (where a run stages them).
    public func fusionTable(_ id: String, in folder: String? = nil) -> String {
        (folder ?? fusions) + "/" + id + "." + SeqletsTable.schema.file
    }
    /// The folder of the discovered patterns.
    public var patterns: PatternsFolder { PatternsFolder(path: file("patterns")) }

    private func file(_ name: String) -> String { path + "/" + name }
}

/// The folder of the patterns discovered from seqlets: PWMs in MEME format per sign, their
/// matrices and logos.
public struct PatternsFolder: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// `sign` is `positive` or `negative`.
    public func meme(sign: String) -> String { file(sign + "_patterns.meme") }
    public var table: String { file(PatternsTable.schema.file) }
    public var matrices: String { file(PatternMatricesTable.schema.file) }
    /// The folder of the logos.
    public var logos: String { file("logos") }
    public func pwmLogo(_ pattern: String) -> String { logos + "/" + pattern + ".pwm.svg" }
    public func cwmLogo(_ pattern: String) -> String { logos + "/" + pattern + ".cwm.svg" }

    private func file(_ name: String) -> String { path + "/" + name }
}

/// `seqlets`' seqlets: one row each, pooled in `seqlets.tsv` and per fusion in
/// `fusions/ID.seqlets.tsv`. Window positions are 1-based and inclusive like explain's
/// `window_position`; genome spans are BED's (0-based start, end exclusive).
public enum SeqletsTable {
    public static let id = ExplainSummaryTable.id
    public static let part = FISTable.part
    public static let windowStart = "window_start"
    public static let windowEnd = "window_end"
    public static let chromosome = TopRegionsTable.chromosome
    public static let start = TopRegionsTable.start
    public static let end = TopRegionsTable.end
    public static let strand = TopRegionsTable.strand
    public static let distance = TopRegionsTable.distance
    public static let sign = "sign"
    /// The summed attribution over the seqlet (flanks included).
    public static let attributionSum = ExplainSummaryTable.attributionSum
    /// The summed attribution over the core window that passed the threshold.
    public static let windowSum = "window_sum"
    public static let schema = TableSchema(
        file: "seqlets.tsv",
        columns: [
            id, part, windowStart, windowEnd, chromosome, start, end, strand, distance, sign, attributionSum,
            windowSum,
        ],
        writer: "fusionai seqlets")
}

/// `seqlets`' per fusion thresholds and counts, `summary.tsv`.
public enum SeqletsSummaryTable {
    public static let id = ExplainSummaryTable.id
    /// Window sums at or above this were positive seqlets (NA: none passed at the target FDR).
    public static let positiveThreshold = "positive_threshold"
    /// Window sums at or below minus this were negative seqlets.
    public static let negativeThreshold = "negative_threshold"
    public static let positiveSeqlets = "positive_seqlets"
    public static let negativeSeqlets = "negative_seqlets"
    /// `yes` when the fusion's `ID.hyp.npy` was read for discovery.
    public static let hypothetical = "hypothetical"
    public static let schema = TableSchema(
        file: "summary.tsv",
        columns: [id, positiveThreshold, negativeThreshold, positiveSeqlets, negativeSeqlets, hypothetical],
        writer: "fusionai seqlets")
}

/// `seqlets --discover`'s patterns, `patterns/patterns.tsv`.
public enum PatternsTable {
    public static let pattern = "pattern"
    public static let sign = SeqletsTable.sign
    /// Seqlets aligned into the pattern.
    public static let seqlets = "seqlets"
    /// Width after trimming.
    public static let width = "width"
    public static let consensus = "consensus"
    /// Information content of the PWM, bits, summed over positions.
    public static let informationContent = "total_ic_bits"
    /// Mean summed contribution of the trimmed CWM.
    public static let contribution = "cwm_sum"
    public static let schema = TableSchema(
        file: "patterns.tsv", columns: [pattern, sign, seqlets, width, consensus, informationContent, contribution],
        writer: "fusionai seqlets --discover")
}

/// Each trimmed pattern's matrices, one row per position, `patterns/pattern_matrices.tsv`: the
/// contribution-weight matrix (mean contribution of each base where it is present), the PWM (base
/// frequencies of the aligned seqlets) and the seqlets covering the position.
public enum PatternMatricesTable {
    public static let pattern = PatternsTable.pattern
    public static let position = "position"
    public static let support = "support"
    public static let cwm = ["cwm_A", "cwm_C", "cwm_G", "cwm_T"]
    public static let pwm = ["pwm_A", "pwm_C", "pwm_G", "pwm_T"]
    public static let schema = TableSchema(
        file: "pattern_matrices.tsv", columns: [pattern, position, support] + cwm + pwm,
        writer: "fusionai seqlets --discover")
}
