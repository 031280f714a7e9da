import Genome

/// Supplies a gene's strand where a caller gives none (a GTF annotation, say).
public protocol StrandSource: Sendable {
    /// The strand of the gene named `gene` (a symbol or an id), on `chromosome` when that settles
    /// an ambiguity; nil when unknown.
    func strand(ofGene gene: String, chromosome: String?) -> Strand?
}
