import Genome
import TestSupport

/// A small GTF for the shared hg38 caller sample. Strands are the genes' real ones, as
/// starfusion.tsv writes them; the spans are NOT real gene bounds, only 5 kb either side of the
/// breakpoint STAR-Fusion (GOPC: Arriba) reports, which is all the readers need.
enum SampleGenes {
    static let genes: [(name: String, chromosome: String, breakpoint: Int, strand: String)] = [
        ("FGFR3", "4", 1_806_934, "+"), ("TACC3", "4", 1_727_977, "+"),
        ("HOOK3", "8", 42_968_214, "+"), ("RET", "10", 43_116_584, "+"),
        ("ETV6", "12", 11_869_969, "+"), ("NTRK3", "15", 87_940_753, "-"),
        ("EWSR1", "22", 29_287_134, "+"), ("ATF1", "12", 50_814_280, "+"),
        ("TMPRSS2", "21", 41_494_375, "-"), ("ETV1", "7", 13_935_838, "-"),
        ("AKAP9", "7", 92_003_235, "+"), ("BRAF", "7", 140_787_584, "-"),
        ("CD74", "5", 150_404_680, "-"), ("ROS1", "6", 117_324_415, "-"),
        ("BRD4", "19", 15_254_152, "-"), ("NUTM1", "15", 34_347_969, "+"),
        ("EML4", "2", 42_301_394, "+"), ("ALK", "2", 29_223_584, "-"),
        ("FLI1", "11", 128_807_180, "+"), ("GOPC", "6", 117_566_854, "-"),
    ]

    /// The GTF's gene lines, on `chr`-named chromosomes (the callers write `4`), or all on `chrUn`
    /// so that only the strands can help; `only` keeps just those genes.
    static func gtf(placed: Bool = true, only: Set<String>? = nil) throws -> String {
        var lines = ["##description: test genes for the shared caller sample"]
        for (i, g) in genes.enumerated() where only?.contains(g.name) ?? true {
            let chromosome = placed ? "chr" + g.chromosome : "chrUn"
            lines.append(
                "\(chromosome)\ttest\tgene\t\(g.breakpoint - 5000)\t\(g.breakpoint + 5000)\t.\t\(g.strand)\t.\t"
                    + "gene_id \"TEST\(i).1\"; gene_name \"\(g.name)\";"
            )
        }
        return try writeTemporary(lines, name: "sample-genes.gtf")
    }

    static func annotation(placed: Bool = true, only: Set<String>? = nil) throws -> GeneAnnotation {
        try GeneAnnotation(gtfPath: gtf(placed: placed, only: only))
    }
}
