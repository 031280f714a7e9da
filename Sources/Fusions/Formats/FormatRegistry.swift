/// Every format `prepare` reads, each described once, in the order headers are tried during detection.
enum FormatRegistry {
    /// All formats, most specific header first. Each signature asks for columns the others' headers
    /// lack, so at most one matches a caller's header.
    static let all: [FormatDescription] = [
        FormatDescription(
            .fusionai, signature: FusionAIRowParser.columnNames, detection: .never, parser: FusionAIRowParser.self,
            versions: "this tool", convention: "Hgene Hchr Hbp Hstrand Tgene Tchr Tbp Tstrand; 1-based"),
        FormatDescription(
            .starFusion, signature: ["FusionName", "LeftGene", "LeftBreakpoint", "RightGene", "RightBreakpoint"],
            partners: [
                PartnerColumns(gene: .column("LeftGene"), site: .joinedWithStrand("LeftBreakpoint")),
                PartnerColumns(gene: .column("RightGene"), site: .joinedWithStrand("RightBreakpoint")),
            ],
            geneNaming: .symbolBeforeCaret,
            versions: "STAR-Fusion 1.x, FusionInspector 2.x, CTAT-LR-Fusion 0.13",
            convention: "LeftGene, LeftBreakpoint, RightGene, RightBreakpoint (chr:pos:strand); 1-based, Left = 5'"),
        FormatDescription(
            .dragen, signature: ["FusionGene", "LeftBreakpoint", "RightBreakpoint"],
            partners: [
                PartnerColumns(
                    gene: .pair("FusionGene", separator: "--", index: 0), site: .joinedWithStrand("LeftBreakpoint")),
                PartnerColumns(
                    gene: .pair("FusionGene", separator: "--", index: 1), site: .joinedWithStrand("RightBreakpoint")),
            ],
            versions: "DRAGEN 3.x-4.x",
            convention: "FusionGene (5'--3'), LeftBreakpoint, RightBreakpoint (chr:pos:strand); 1-based"),
        FormatDescription(
            .arriba,
            signature: [
                "gene1", "gene2", "strand1(gene/fusion)", "strand2(gene/fusion)", "breakpoint1", "breakpoint2",
            ],
            parser: ArribaRowParser.self, versions: "1.x, 2.x",
            convention: "gene1/2, breakpoint1/2 (chr:pos), strand1/2(gene/fusion); 1-based, gene1 = 5'"),
        FormatDescription(
            .fusionCatcher,
            signature: [
                "Gene_1_symbol(5end_fusion_partner)", "Fusion_point_for_gene_1(5end_fusion_partner)",
                "Gene_2_symbol(3end_fusion_partner)", "Fusion_point_for_gene_2(3end_fusion_partner)",
            ],
            partners: [
                PartnerColumns(
                    gene: .column("Gene_1_symbol(5end_fusion_partner)"),
                    site: .joinedWithStrand("Fusion_point_for_gene_1(5end_fusion_partner)")),
                PartnerColumns(
                    gene: .column("Gene_2_symbol(3end_fusion_partner)"),
                    site: .joinedWithStrand("Fusion_point_for_gene_2(3end_fusion_partner)")),
            ],
            versions: "1.x",
            convention: "Gene_1/2_symbol, Fusion_point_for_gene_1/2 (chr:pos:strand); 1-based, gene 1 = 5'"),
        FormatDescription(
            .ericScript,
            signature: ["GeneName1", "GeneName2", "chr1", "Breakpoint1", "strand1", "chr2", "Breakpoint2", "strand2"],
            partners: [
                PartnerColumns(
                    gene: .column("GeneName1"),
                    site: .columns(chromosome: "chr1", position: "Breakpoint1", strand: .column("strand1"))),
                PartnerColumns(
                    gene: .column("GeneName2"),
                    site: .columns(chromosome: "chr2", position: "Breakpoint2", strand: .column("strand2"))),
            ],
            textPositionIsUnplaced: true, versions: "0.5.x",
            convention: "GeneName1/2, chr1/2, Breakpoint1/2, strand1/2; 1-based, gene 1 = 5'"),
        FormatDescription(
            .squid,
            signature: ["chrom1", "start1", "end1", "chrom2", "start2", "end2", "strand1", "strand2"],
            parser: SquidRowParser.self, versions: "1.5 (AnnotateSQUIDOutput.py)",
            convention: "BEDPE segments + FusedGenes; 0-based starts, junction end by strand; needs --annotation"),
        FormatDescription(
            .pizzly, signature: ["geneA.name", "geneA.id", "geneB.name", "geneB.id"],
            parser: PizzlyRowParser.self, versions: "0.37",
            convention: "transcript coordinates only: every row skipped as unplaced"),
        FormatDescription(
            .jaffa, signature: ["fusion genes", "chrom1", "base1", "chrom2", "base2"], separator: ",", quoted: true,
            partners: [
                PartnerColumns(
                    gene: .pair("fusion genes", separator: ":", index: 0),
                    site: .columns(chromosome: "chrom1", position: "base1", strand: .optionalColumn("strand1"))),
                PartnerColumns(
                    gene: .pair("fusion genes", separator: ":", index: 1),
                    site: .columns(chromosome: "chrom2", position: "base2", strand: .optionalColumn("strand2"))),
            ],
            versions: "1.09-2.3",
            convention: "fusion genes (5':3'), chrom1/2, base1/2, strand1/2 if present; 1-based"),
    ]

    /// Formats told by their header line, in detection order.
    static let headed: [FormatDescription] = all.filter { $0.requiresHeader || $0.format == .fusionai }

    /// A headed format close to a header it did not recognise, and the signature columns it lacked.
    struct NearMiss {
        let description: FormatDescription
        let missing: [String]
    }

    /// The headed format whose signature `line` (a header no format recognised) comes closest to:
    /// the most signature columns present, at least one; nil when no format shares a column.
    static func closest(toHeader line: String) -> NearMiss? {
        var best: (found: Int, miss: NearMiss)?
        for candidate in all where candidate.requiresHeader {
            let columns = HeaderColumns(candidate.fields(of: line))
            let missing = columns.missing(candidate.signature)
            let found = candidate.signature.count - missing.count
            guard found > 0, found > (best?.found ?? 0) else { continue }
            best = (found, NearMiss(description: candidate, missing: missing))
        }
        return best?.miss
    }

    /// The description of `format`.
    static func description(of format: FusionFormat) -> FormatDescription? {
        let wanted = format == .fusionaiData ? .fusionai : format
        return all.first { $0.format == wanted }
    }
}
