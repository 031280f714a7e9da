// The tables of `fusionai variants` and `fusionai scan`, each column spelled once.

/// FusionAI's eight columns, which both tables start with.
private let fusionColumns = ["Hgene", "Hchr", "Hbp", "Hstrand", "Tgene", "Tchr", "Tbp", "Tstrand"]

/// `variants`' output: one row per fusion window and variant (ALT) in it.
public enum VariantsTable {
    public static let fusion = fusionColumns
    /// `CHROM:POS:REF>ALT`, as the VCF names the chromosome.
    public static let variant = "variant"
    /// `snv`, `mnv`, `insertion`, `deletion` or `complex`.
    public static let kind = "kind"
    /// `head` or `tail`.
    public static let window = "window"
    /// POS relative to the breakpoint in transcript orientation (negative: 5' of it).
    public static let offset = "offset"
    public static let referenceProbability = "ref_prob"
    public static let alternateProbability = "alt_prob"
    /// alt_prob - ref_prob.
    public static let delta = "delta"
    public static let schema = TableSchema(
        file: "variants.tsv",
        columns: fusion + [variant, kind, window, offset, referenceProbability, alternateProbability, delta],
        writer: "fusionai variants")
}

/// `variants --skipped`: each variant in a window that was not scored, and each fusion without windows.
public enum VariantSkipsTable {
    public static let schema = TableSchema(
        file: "variants.skipped.tsv", columns: ["variant", "fusion", "window", "reason", "detail"],
        writer: "fusionai variants")
}

/// `scan`'s table: one row per head breakpoint x tail breakpoint.
public enum ScanTable {
    public static let fusion = fusionColumns
    /// Exon numbers (in transcript order) whose last base the head breakpoint is, one per transcript;
    /// `.` for a breakpoint from a region.
    public static let headExons = "head_exons"
    /// The transcripts those exon numbers belong to, in the same order.
    public static let headTranscripts = "head_transcripts"
    /// Exon numbers whose first base the tail breakpoint is, one per transcript.
    public static let tailExons = "tail_exons"
    public static let tailTranscripts = "tail_transcripts"
    public static let positiveProbability = PredictionsTable.positiveProbability
    public static let schema = TableSchema(
        file: "scan.tsv",
        columns: fusion + [headExons, headTranscripts, tailExons, tailTranscripts, positiveProbability],
        writer: "fusionai scan")
}

/// The folder `fusionai scan` writes.
public struct ScanFolder: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public var table: String { path + "/" + ScanTable.schema.file }
    /// The heat map: head breakpoints by tail breakpoints.
    public var heatMap: String { path + "/scan.svg" }
}
