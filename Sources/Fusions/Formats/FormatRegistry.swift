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
        FormatDescription(
            .deFuse, signature: ["cluster_id", "splitr_count", "genomic_break_pos1", "gene_align_strand1"],
            order: .derived, parser: DefuseRowParser.self, versions: "0.6-0.8",
            convention: "gene_name1/2, gene_chromosome1/2, genomic_break_pos1/2, gene_strand1/2; 1-based; "
                + "5' partner from gene_align_strand1/2"),
        FormatDescription(
            .nFuse, signature: ["cluster_id", "breakpos1", "defuse_probability", "genomic_break_pos1"],
            order: .derived, parser: DefuseRowParser.self, versions: "0.2",
            convention: "as deFuse (breakpos1/2 not used); 1-based"),
        FormatDescription(
            .chimPipe, signature: ["juncCoord", "gnNamesA", "gnNamesB"], parser: ChimPipeRowParser.self,
            versions: "0.9",
            convention: "juncCoord (chr_pos_strand:chr_pos_strand, donor first), gnNamesA/B; 1-based"),
        FormatDescription(
            .inFusion, signature: ["ref1", "break_pos1", "region1", "ref2", "break_pos2", "region2", "genes_1"],
            order: .derived, parser: InFusionRowParser.self, versions: "0.7-0.8",
            convention: "genes_1/2, ref1/2, break_pos1/2, region1/2 (side); 1-based; order and strands "
                + "from --annotation, else as written with strands ."),
        FormatDescription(
            .prada, signature: ["Gene_A", "Gene_B", "A_strand", "B_strand", "Junction"],
            parser: PradaRowParser.self, versions: "1.2",
            convention: "Gene_A/B, A/B_strand (1/-1), Junction (one record per entry); 1-based, A = 5'"),
        FormatDescription(
            .soapFuse, signature: ["up_gene", "up_chr", "up_Genome_pos", "dw_gene", "dw_chr", "dw_Genome_pos"],
            partners: [
                PartnerColumns(
                    gene: .column("up_gene"),
                    site: .columns(chromosome: "up_chr", position: "up_Genome_pos", strand: .column("up_strand"))),
                PartnerColumns(
                    gene: .column("dw_gene"),
                    site: .columns(chromosome: "dw_chr", position: "dw_Genome_pos", strand: .column("dw_strand"))),
            ],
            versions: "1.26", convention: "up_/dw_gene, _chr, _Genome_pos, _strand; 1-based, up = 5'"),
        FormatDescription(
            .fusionMap,
            signature: ["FusionID", "Strand", "Chromosome1", "Position1", "Chromosome2", "Position2", "KnownGene1"],
            partners: [
                PartnerColumns(
                    gene: .column("KnownGene1"),
                    site: .columns(chromosome: "Chromosome1", position: "Position1", strand: .character("Strand", 0))),
                PartnerColumns(
                    gene: .column("KnownGene2"),
                    site: .columns(chromosome: "Chromosome2", position: "Position2", strand: .character("Strand", 1))),
            ],
            versions: "7.0 (OmicSoft)",
            convention: "KnownGene1/2, Chromosome1/2, Position1/2, Strand (2 chars); 1-based, gene 1 = 5'"),
        FormatDescription(
            .oncofuse, signature: ["FUSION_ID", "GENOMIC", "5_FPG_GENE_NAME", "3_FPG_GENE_NAME"],
            parser: OncofuseRowParser.self, versions: "1.1",
            convention: "5_/3_FPG_GENE_NAME, GENOMIC (chr:pos>chr:pos, the deleted bases); needs --annotation"),
        FormatDescription(
            .chimeraScan,
            signature: ["chrom5p", "start5p", "end5p", "chrom3p", "start3p", "end3p", "strand5p", "genes5p"],
            parser: ChimeraScanRowParser.self, versions: "0.4.5",
            convention: "chrom/start/end/strand/genes 5p and 3p (BEDPE); 0-based inclusive, junction end by strand"),
        FormatDescription(
            .tophatFusion, signature: [], detection: .content(Self.isTopHatFusionRow),
            partners: [
                PartnerColumns(
                    gene: .column("gene1"), site: .columns(chromosome: "chr1", position: "pos1", strand: .none)),
                PartnerColumns(
                    gene: .column("gene2"), site: .columns(chromosome: "chr2", position: "pos2", strand: .none)),
            ],
            zeroBased: true,
            impliedHeader: ["sample", "gene1", "chr1", "pos1", "gene2", "chr2", "pos2"],
            versions: "2.0-2.1 (result.txt)",
            convention: "no header: columns 2-4 and 5-7 (gene, chr, pos); 0-based; left = 5'; strands from --annotation"
        ),
        FormatDescription(
            .mapSplice, signature: [], detection: .content(MapSpliceRowParser.matches),
            parser: MapSpliceRowParser.self, versions: "2.1-2.2",
            convention: "no header: fields 1 (chrA~chrB), 2, 3, 6 (strands), 61-62 (genes); 1-based, donor = 5'"),
        FormatDescription(
            .fusionHunter, signature: [], detection: .content(FusionHunterRowParser.matches),
            block: FusionHunterRowParser.block, parser: FusionHunterRowParser.self, versions: "1.4",
            convention: "blocks '# Fusion: ...[oAoB](n)', '->' read lines (chr:start-end twice, genes A x B), "
                + "'# Total # of Junction Spanning Reads: k'; 1-based; order and strands from --annotation"),
        FormatDescription(
            .longGF, signature: [], detection: .content(LongGFRowParser.matches), parser: LongGFRowParser.self,
            versions: "0.1.2 (log)",
            convention: "GF lines: genes, junction histograms (mode), L/R; 0-based; order and strands from "
                + "--annotation"),
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
        var header = HeaderLine(line)
        for candidate in all where candidate.requiresHeader {
            let columns = header.split(as: candidate).columns
            let missing = columns.missing(candidate.signature)
            let found = candidate.signature.count - missing.count
            guard found > 0, found > (best?.found ?? 0) else { continue }
            best = (found, NearMiss(description: candidate, missing: missing))
        }
        return best?.miss
    }

    /// Whether `fields` is a TopHat-Fusion `result.txt` row: sample, gene, chr, pos, gene, chr, pos,
    /// three read counts and (since 2.0.x) a score.
    static func isTopHatFusionRow(_ fields: [Substring]) -> Bool {
        guard fields.count == 10 || fields.count == 11 else { return false }
        let names = [1, 2, 4, 5].allSatisfy { !fields[$0].isEmpty }
        let counts = [3, 6, 7, 8, 9].allSatisfy { Int(fields[$0]).map { $0 >= 0 } ?? false }
        return names && counts && (fields.count == 10 || Double(fields[10]) != nil)
    }

    /// The description of `format`.
    static func description(of format: FusionFormat) -> FormatDescription? {
        let wanted = format == .fusionaiData ? .fusionai : format
        return all.first { $0.format == wanted }
    }
}
