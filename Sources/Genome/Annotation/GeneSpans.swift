/// Genes assembled from transcript or exon lines, for GTFs without `gene` lines: each `gene_id` (per
/// chromosome, as PAR genes repeat IDs on X and Y) spans its lines' first to last base.
struct GeneSpans {
    private var order: [GeneAnnotation.Gene] = []
    private var index: [String: Int] = [:]

    /// The genes, in the order their first line came.
    var genes: [GeneAnnotation.Gene] { order }

    mutating func add(_ part: GeneAnnotation.Gene) {
        let key = part.id + "\t" + part.chromosome
        guard let i = index[key] else {
            index[key] = order.count
            order.append(part)
            return
        }
        let gene = order[i]
        order[i] = GeneAnnotation.Gene(
            name: gene.name, id: gene.id, chromosome: gene.chromosome,
            start: min(gene.start, part.start), end: max(gene.end, part.end), strand: gene.strand)
    }

    /// The genes of `gene` lines, then those only transcript or exon lines describe, in that order
    /// of preference; a gene is its ID on one chromosome.
    static func merge(genes: [GeneAnnotation.Gene], transcripts: GeneSpans, exons: GeneSpans) -> [GeneAnnotation.Gene] {
        var merged = genes
        var known = Set(genes.map { $0.id + "\t" + $0.chromosome })
        for gene in transcripts.genes + exons.genes where known.insert(gene.id + "\t" + gene.chromosome).inserted {
            merged.append(gene)
        }
        return merged
    }
}
