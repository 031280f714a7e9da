// The column names of every table the pipeline writes, each spelled once: the writers build their
// headers from these schemas and the readers find their cells by these names.

/// Names more than one table uses.
private enum Shared {
    static let part = "part"
    static let chromosome = "chrom"
    static let fusion = "fusion"
    static let feature = "feature"
    static let category = "category"
    static let fraction = "fraction"
    static let start = "start"
    static let end = "end"
    static let binStart = "bin_start"
    static let binEnd = "bin_end"
    static let topPositions = "top_positions"
    static let topCovered = "top_covered"
}

/// `predict`'s output: the input row's columns, then these.
public enum PredictionsTable {
    public static let negativeProbability = "fusion_negative_prob"
    public static let positiveProbability = "fusion_positive_prob"
    public static let call = "call"
    public static let schema = TableSchema(
        file: "predictions.tsv", columns: [negativeProbability, positiveProbability, call],
        writer: "fusionai predict")
}

/// The `call` column's values.
public enum PredictionCall: String, Sendable {
    case positive, negative
    /// The model gave NaN or infinite probabilities (damaged or diverged weights); they are written
    /// as `NA` too, which R and pandas read as missing.
    case undetermined = "NA"
}

/// `explain`'s per-position scores of one fusion, `ID.fis.tsv` (ISM appends its maximum |ΔP|).
public enum FISTable {
    public static let index = "index"
    public static let part = Shared.part
    public static let windowPosition = "window_position"
    public static let chromosome = Shared.chromosome
    public static let position = "position"
    public static let base = "base"
    public static let score = "fis"
    public static let ismMaximum = "ism_max_abs_delta"
    public static let schema = TableSchema(
        file: ".fis.tsv", columns: [index, part, windowPosition, chromosome, position, base, score],
        writer: "fusionai explain")
}

/// `explain`'s top-scoring regions of one fusion, `ID.top_regions.tsv`.
public enum TopRegionsTable {
    public static let fraction = Shared.fraction
    public static let part = Shared.part
    public static let chromosome = Shared.chromosome
    public static let start = Shared.start
    public static let end = Shared.end
    public static let strand = "strand"
    public static let positions = "positions"
    public static let meanScore = "mean_fis"
    public static let distance = "distance_to_breakpoint"
    public static let schema = TableSchema(
        file: ".top_regions.tsv",
        columns: [fraction, part, chromosome, start, end, strand, positions, meanScore, distance],
        writer: "fusionai explain")
}

/// `explain`'s run summary, `summary.tsv`; three columns are named after the first top fraction
/// (`mean_distance_top1pct`).
public enum ExplainSummaryTable {
    public static let id = "id"
    public static let fusion = Shared.fusion
    public static let probability = PredictionsTable.positiveProbability
    public static let method = "method"
    /// DeepLIFT methods: the sum of the scores over all positions, and P(positive) at the input minus
    /// at the reference (mean over references); completeness means they agree. NA for other methods.
    public static let attributionSum = "attribution_sum"
    public static let referenceDifference = "reference_difference"
    public static let file = "summary.tsv"

    /// Mean distance of the top positions to their breakpoint; `top` is a label such as `top1%`.
    public static func meanDistance(_ top: String) -> String { "mean_distance_" + columnLabel(top) }
    public static func headShare(_ top: String) -> String { "head_share_" + columnLabel(top) }
    public static func tailShare(_ top: String) -> String { "tail_share_" + columnLabel(top) }

    public static func schema(top: String) -> TableSchema {
        TableSchema(
            file: file,
            columns: [
                id, fusion, probability, method, meanDistance(top), headShare(top), tailShare(top), attributionSum,
                referenceDifference,
            ],
            writer: "fusionai explain")
    }

    /// Column names say "pct" where the region files say "%": R and pandas take them as they are.
    private static func columnLabel(_ top: String) -> String {
        top.replacingOccurrences(of: "%", with: "pct")
    }
}

/// `features`' per fusion and feature coverage, `coverage.tsv`.
public enum CoverageTable {
    public static let row = "row"
    public static let schema = TableSchema(
        file: "coverage.tsv",
        columns: [
            row, Shared.fusion, Shared.feature, "head_covered", "tail_covered", "head_fraction", "tail_fraction",
            Shared.topCovered, Shared.topPositions, "top_fraction",
        ],
        writer: "fusionai features")
}

/// `features`' landscape: mean covered fraction per feature and bin, `landscape.tsv`.
public enum LandscapeTable {
    public static let schema = TableSchema(
        file: FeaturesFolder.Output.landscape.rawValue + ".tsv",
        columns: [
            Shared.feature, Shared.category, Shared.part, Shared.binStart, Shared.binEnd, "mean_covered_fraction",
        ],
        writer: "fusionai features")
}

/// `features`' landscape over the top-FIS positions only, `landscape_top.tsv`.
public enum LandscapeTopTable {
    public static let schema = TableSchema(
        file: FeaturesFolder.Output.landscapeTop.rawValue + ".tsv",
        columns: [
            Shared.feature, Shared.category, Shared.part, Shared.binStart, Shared.binEnd, Shared.topPositions,
            Shared.topCovered, "top_covered_fraction",
        ],
        writer: "fusionai features")
}

/// `features`' enrichment tests, `enrichment.tsv`.
public enum EnrichmentTable {
    public static let test = "test"
    public static let feature = Shared.feature
    public static let oddsRatio = "odds_ratio"
    public static let qValue = "q_value"
    public static let schema = TableSchema(
        file: FeaturesFolder.Output.enrichment.rawValue + ".tsv",
        columns: [
            test, feature, Shared.category, "covered", "total", "rest_covered", "rest_total", Shared.fraction,
            "rest_fraction", oddsRatio, "or_low95", "or_high95", "p_value", qValue,
        ],
        writer: "fusionai features")

    /// The `test` column's values.
    public enum Test: String, Sendable {
        case topFISVersusRest = "top_fis_vs_rest"
        case positiveVersusNegative = "positive_vs_negative"
    }
}

/// `features`' feature intervals in one explained fusion's windows, `tracks/ID.features.tsv`.
public enum FeatureTracksTable {
    public static let schema = TableSchema(
        file: ".features.tsv",
        columns: [
            Shared.feature, Shared.category, Shared.part, "input_start", "input_end", "chromosome", Shared.start,
            Shared.end,
        ],
        writer: "fusionai features")
}

/// MultiQC custom content: two tables with MultiQC's YAML header lines, found by MultiQC through
/// the `_mqc.tsv` ending wherever `multiqc RESULTS` looks. Both go under one FusionAI section.
public enum MultiQCTables {
    /// The section MultiQC shows them in.
    public static let section = "fusionai"
    public static let sectionName = "FusionAI"
    public static let sample = "Sample"

    /// Per sample: calls, those scored (not NA), positive calls, their fraction of the scored, and the
    /// scored calls' mean P(fusion-positive).
    public static let calls = TableSchema(
        file: "fusionai_calls_mqc.tsv",
        columns: [sample, "calls", "scored_calls", "positive_calls", "positive_fraction", "mean_probability"],
        writer: "fusionai run")

    /// Per sample: calls in each tenth of P(fusion-positive), columns `0.0-0.1` ... `0.9-1.0`.
    public static let scores = TableSchema(
        file: "fusionai_scores_mqc.tsv",
        columns: [sample] + (0..<10).map { "\(Double($0) / 10)-\(Double($0 + 1) / 10)" },
        writer: "fusionai run")
}

/// `motifs match`'s comparisons: TOMTOM's own TSV columns, so whatever reads TOMTOM output reads it.
public enum MotifMatchTable {
    public static let queryID = "Query_ID"
    public static let targetID = "Target_ID"
    public static let offset = "Optimal_offset"
    public static let pValue = "p-value"
    public static let eValue = "E-value"
    public static let qValue = "q-value"
    public static let overlap = "Overlap"
    public static let queryConsensus = "Query_consensus"
    public static let targetConsensus = "Target_consensus"
    public static let orientation = "Orientation"
    public static let schema = TableSchema(
        file: "tomtom.tsv",
        columns: [
            queryID, targetID, offset, pValue, eValue, qValue, overlap, queryConsensus, targetConsensus, orientation,
        ],
        writer: "fusionai motifs match")
}

/// `motifs scan`'s sites in genome coordinates: BED6 (a `features` track as it stands) and then
/// FIMO's score and p-value, the fusion and window part, and the matched sequence. The header is
/// a `#` line, which BED readers skip.
public enum MotifSitesTable {
    public static let schema = TableSchema(
        file: "sites.bed",
        columns: [
            "#chrom", Shared.start, Shared.end, "name", "score", "strand", "motif_score", "p_value", Shared.fusion,
            Shared.part, "matched_sequence",
        ],
        writer: "fusionai motifs scan")
}
