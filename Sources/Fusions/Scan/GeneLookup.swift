import Genome

extension GeneModels {
    /// The one gene called `name` (its `gene_name`, or its `gene_id` with or without the version).
    /// - Throws: ``ScanError/Code/unknownGene`` when none is, ``ScanError/Code/ambiguousGene``
    ///   listing them (ID, place, strand) when several are, so the user can name one by its ID.
    public func gene(named name: String) throws -> Model {
        let found = models.filter {
            $0.gene.name == name || $0.gene.id == name || GeneAnnotation.unversioned($0.gene.id) == name
        }
        guard found.count == 1, let gene = found.first else {
            guard found.isEmpty else {
                let listed = found.map {
                    "\($0.gene.name) \($0.gene.id) \($0.gene.chromosome):\($0.gene.start)-\($0.gene.end) "
                        + $0.gene.strand.symbol
                }
                throw ScanError(
                    .ambiguousGene, path: path,
                    "'\(name)' names \(found.count) genes; give one by its gene_id: " + listed.joined(separator: "; "))
            }
            throw ScanError(
                .unknownGene, path: path, "has no gene named '\(name)' (as gene_name or gene_id): check the spelling")
        }
        return gene
    }
}
