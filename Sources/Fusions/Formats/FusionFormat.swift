/// The fusion-call formats `prepare` reads, chosen from the header or by `--format`.
public enum FusionFormat: String, Sendable, CaseIterable {
    /// FusionAI's input: `Hgene Hchr Hbp Hstrand Tgene Tchr Tbp Tstrand [extra ...]`, header optional.
    case fusionai
    /// FusionAI's data files: the 8 columns, HeadSeq, TailSeq, [label 0/1] (CRLF line ends allowed).
    case fusionaiData = "fusionai-data"
    /// STAR-Fusion, FusionInspector and CTAT-LR-Fusion (`LeftBreakpoint` as `chr:pos:strand`).
    case starFusion = "star-fusion"
    /// Arriba (`strand1(gene/fusion)`, `breakpoint1` as `chr:pos`).
    case arriba
    /// FusionCatcher (`Fusion_point_for_gene_1(5end_fusion_partner)` as `chr:pos:strand`).
    case fusionCatcher = "fusioncatcher"
    /// JAFFA's CSV, with or without the strand columns.
    case jaffa
    /// EricScript.
    case ericScript = "ericscript"
    /// Illumina DRAGEN RNA fusion caller.
    case dragen
    /// SQUID (BEDPE-like segments).
    case squid
    /// pizzly (transcript coordinates only: rows are recognised and skipped).
    case pizzly

    /// The name used in messages.
    public var displayName: String {
        switch self {
        case .fusionai: "FusionAI 8-column"
        case .fusionaiData: "FusionAI data file"
        case .starFusion: "STAR-Fusion"
        case .arriba: "Arriba"
        case .fusionCatcher: "FusionCatcher"
        case .jaffa: "JAFFA"
        case .ericScript: "EricScript"
        case .dragen: "DRAGEN"
        case .squid: "SQUID"
        case .pizzly: "pizzly"
        }
    }
}
