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
    /// deFuse (`results.tsv`; the pair is unordered, 5' told by `gene_align_strand`).
    case deFuse = "defuse"
    /// nFuse (deFuse's columns and rule).
    case nFuse = "nfuse"
    /// ChimPipe (`juncCoord` as `chr_pos_strand:chr_pos_strand`).
    case chimPipe = "chimpipe"
    /// InFusion (`fusions.txt`; no strands).
    case inFusion = "infusion"
    /// PRADA (`fus.summary.txt`; breakpoints in `Junction`).
    case prada
    /// SOAPfuse (`final.Fusion.specific.for.genes`).
    case soapFuse = "soapfuse"
    /// TopHat-Fusion (`result.txt`, no header, 0-based, no strands).
    case tophatFusion = "tophat-fusion"
    /// FusionMap (`FusionReport.txt`).
    case fusionMap = "fusionmap"
    /// Oncofuse (`GENOMIC` as `chr:pos>chr:pos`, the deleted bases; needs gene strands).
    case oncofuse
    /// LongGF's log (`GF` lines; 0-based, no strands).
    case longGF = "longgf"
    /// ChimeraScan (`chimeras.bedpe`, 0-based).
    case chimeraScan = "chimerascan"
    /// MapSplice 2 (`fusions_well_annotated.txt`, no header).
    case mapSplice = "mapsplice"
    /// FusionHunter (`FusionHunter.fusion`: one block of lines per fusion; no strands).
    case fusionHunter = "fusionhunter"
    /// Any table, its columns named by a ``ColumnMapping`` (`--columns`).
    case columns

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
        case .deFuse: "deFuse"
        case .nFuse: "nFuse"
        case .chimPipe: "ChimPipe"
        case .inFusion: "InFusion"
        case .prada: "PRADA"
        case .soapFuse: "SOAPfuse"
        case .tophatFusion: "TopHat-Fusion"
        case .fusionMap: "FusionMap"
        case .oncofuse: "Oncofuse"
        case .longGF: "LongGF"
        case .chimeraScan: "ChimeraScan"
        case .mapSplice: "MapSplice"
        case .fusionHunter: "FusionHunter"
        case .columns: "column-mapped table"
        }
    }
}
