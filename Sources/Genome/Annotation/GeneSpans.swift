/// Genes assembled from transcript or exon lines, for GTFs without `gene` lines: each `gene_id` (per
/// chromosome, as PAR genes repeat IDs on X and Y) spans its lines' first to last base.
struct GeneSpans {
    private var order: [GeneAnnotation.Gene] = []
    private var index: [String: Int] = [:]

    var isEmpty: Bool { order.isEmpty }

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
}
