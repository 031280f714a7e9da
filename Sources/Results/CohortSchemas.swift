// The tables `fusionai cohort` writes, each column spelled once (see Schemas.swift for the others).

/// FusionAI's eight breakpoint columns, as the cohort tables name them.
public enum BreakpointColumns {
    public static let names = ["Hgene", "Hchr", "Hbp", "Hstrand", "Tgene", "Tchr", "Tbp", "Tstrand"]
}

/// Names several cohort tables use.
private enum CohortShared {
    static let sample = "sample"
    static let samples = "samples"
    static let sampleCount = "sample_count"
    static let caller = "caller"
    static let pair = "pair"
    static let headGene = "Hgene"
    static let tailGene = "Tgene"
    static let writer = "fusionai cohort"
}

/// `cohort.tsv`: one row per unique breakpoint pair, in the order of ``CohortPairsTable``.
public enum CohortTable {
    public static let samples = CohortShared.samples
    public static let sampleCount = CohortShared.sampleCount
    public static let callers = "callers"
    public static let callerCount = "caller_count"
    public static let probability = PredictionsTable.positiveProbability
    public static let call = PredictionsTable.call
    /// With `--merge-distance`: the exact pairs joined into the row and how far their positions spread.
    public static let merged = ["merged_pairs", "Hbp_spread", "Tbp_spread"]
    public static let schema = TableSchema(
        file: "cohort.tsv",
        columns: BreakpointColumns.names + [samples, sampleCount, callers, callerCount, probability, call],
        writer: CohortShared.writer)
}

/// `calls.tsv`: one row per input call, with the row of `cohort.tsv` it joined and that row's score.
public enum CohortCallsTable {
    public static let schema = TableSchema(
        file: "calls.tsv",
        columns: CohortShardTable.schema.columns + [
            CohortShared.pair, PredictionsTable.positiveProbability, PredictionsTable.call,
        ],
        writer: CohortShared.writer)
}

/// `genes.tsv`: per gene pair (5' gene, 3' gene), its recurrence and best score.
public enum CohortGenesTable {
    public static let headGene = CohortShared.headGene
    public static let tailGene = CohortShared.tailGene
    public static let sampleCount = CohortShared.sampleCount
    public static let best = "best_fusion_positive_prob"
    public static let schema = TableSchema(
        file: "genes.tsv",
        columns: [
            headGene, tailGene, sampleCount, CohortShared.samples, "breakpoint_pairs", "calls", best, "best_pair",
        ],
        writer: CohortShared.writer)
}

/// `samples.tsv`: one row per row of the sample sheet, with what became of its file.
public enum CohortSamplesTable {
    public static let sample = CohortShared.sample
    public static let path = "path"
    public static let status = "status"
    public static let reason = "reason"
    public static let calls = "calls"
    public static let schema = TableSchema(
        file: "samples.tsv",
        columns: [sample, path, "format", status, calls, "rejected", reason],
        writer: "fusionai cohort sample")
}

/// `samples/NAME.calls.tsv`: a sample's calls normalised to FusionAI's columns, with where each came from.
public enum CohortShardTable {
    public static let sample = CohortShared.sample
    public static let caller = CohortShared.caller
    public static let source = "source"
    public static let line = "line"
    public static let schema = TableSchema(
        file: ".calls.tsv", columns: [sample, caller, source, line] + BreakpointColumns.names,
        writer: "fusionai cohort sample")
}

/// `pairs.tsv`: the unique breakpoint pairs to score, numbered from 1 in `cohort.tsv`'s order.
public enum CohortPairsTable {
    public static let pair = CohortShared.pair
    public static let schema = TableSchema(
        file: "pairs.tsv", columns: [pair] + BreakpointColumns.names, writer: "fusionai cohort pairs")
}

/// `chunks/chunk-N.tsv`: the scores of one chunk of `pairs.tsv`.
public enum CohortScoresTable {
    public static let pair = CohortShared.pair
    /// The pair's breakpoints in one cell, so a chunk scored for another `pairs.tsv` is not taken.
    public static let breakpoints = "breakpoints"
    public static let negative = PredictionsTable.negativeProbability
    public static let positive = PredictionsTable.positiveProbability
    /// ``scored``, ``cached`` or ``unscorable``.
    public static let status = "status"
    /// Statuses: scored by the model now, taken from the score cache, or without windows (`NA` scores).
    public static let scored = "scored"
    public static let cached = "cached"
    public static let unscorable = "unscorable"
    public static let reason = "reason"
    /// The digest of the model file that scored the chunk, so chunks of two models are never merged.
    public static let model = "model_digest"
    public static let schema = TableSchema(
        file: ".tsv", columns: [pair, breakpoints, negative, positive, status, reason, model],
        writer: "fusionai cohort score")
}
