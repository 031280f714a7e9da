import Genome

/// Oncofuse's output: genes `5_FPG_GENE_NAME`/`3_FPG_GENE_NAME`, breakpoints `GENOMIC` as
/// `chrA:posA>chrB:posB` (5' > 3'), echoing its input's "first deleted base" convention (STAR's
/// `Chimeric.out.junction`, Oncofuse's own `coord`): the intron base next to each junction. The
/// record's base is one step into the exon, a step whose direction is the gene's strand, and the
/// file gives no strand: so rows are read only with a gene annotation (Hbp = posA - s5', Tbp =
/// posB + s3', s = +1/-1), and rejected as strand unknown without one.
struct OncofuseRowParser: FusionRowParser {
    private let gene: [Int], genomic: Int
    private let annotation: GeneAnnotation?

    init(_ description: FormatDescription, header: HeaderColumns?, path: String, annotation: GeneAnnotation?) throws {
        let found = try (header ?? HeaderColumns([])).require(
            ["5_FPG_GENE_NAME", "3_FPG_GENE_NAME", "GENOMIC"], format: description.format, path: path)
        gene = [found[0], found[1]]
        genomic = found[2]
        self.annotation = annotation
    }

    func parse(_ fields: [Substring], line: Int) -> RowResult {
        let row = Row(fields: fields, line: line)
        do throws(Rejection) {
            let genes = [try row.name(gene[0], "5_FPG_GENE_NAME"), try row.name(gene[1], "3_FPG_GENE_NAME")]
            let text = try row.field(genomic, "GENOMIC")
            let halves = text.split(separator: ">", omittingEmptySubsequences: false)
            guard halves.count == 2 else { throw row.malformed("GENOMIC '\(text)' is not chr:pos>chr:pos") }
            var sides: [Breakpoint] = []
            for i in 0..<2 {
                guard let colon = halves[i].lastIndex(of: ":"), colon > halves[i].startIndex,
                    let position = halves[i][halves[i].index(after: colon)...].genomePosition
                else {
                    throw row.malformed(
                        "GENOMIC '\(text)': '\(halves[i])' is not chr:pos (a position from 1 to 2^40)")
                }
                let chromosome = String(halves[i][..<colon])
                guard let strand = annotation?.strand(ofGene: genes[i], chromosome: chromosome, position: position),
                    strand != .unknown
                else {
                    throw row.reject(
                        .unknownStrand,
                        "Oncofuse gives no strand, and \(genes[i])'s decides which neighbour of \(halves[i]) is the "
                            + "junction base: read it with a gene annotation (--annotation GTF)")
                }
                // 5' partner: one base back against its strand; 3' partner: one base on along it.
                let step = (strand == .plus ? 1 : -1) * (i == 0 ? -1 : 1)
                guard position + step > 0 else {
                    throw row.malformed("GENOMIC '\(text)': \(halves[i]) has no base before it")
                }
                sides.append(
                    Breakpoint(gene: genes[i], chromosome: chromosome, position: position + step, strand: strand))
            }
            return .record(FusionRecord(head: sides[0], tail: sides[1], line: line, sourceFields: row.sourceFields))
        } catch {
            return .rejected(error)
        }
    }
}
