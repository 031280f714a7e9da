import Foundation
import Genome
import Support

/// Genes of known fusions, kept out of negative sets. Read from a text file (plain or gzip), one
/// record per line; `#` and blank lines are skipped. Each line gives its genes as:
///
/// - `A--B` in the first column (STAR-Fusion's `FusionName`, FusionGDB / ChimerDB style lists);
/// - a FusionAI 8-column row (`Hgene Hchr Hbp Hstrand Tgene ...`): columns 1 and 5;
/// - otherwise the first one or two tab-separated columns (`A` or `A<TAB>B`).
///
/// Names match a gene's `gene_name` or its `gene_id`, with or without the version suffix.
public struct KnownFusionGenes: Sendable {
    public private(set) var names: Set<String>

    public init(names: Set<String> = []) {
        self.names = names
    }

    /// - Throws: ``TextFileError`` when the file cannot be read; ``NegativesError``
    ///   (`notGeneList`) for a line of a GTF or BED, or a "gene" that is a number.
    public init(path: String) throws {
        var names = Set<String>()
        let reader = try TextLines(path: path, kind: "list of known fusion genes")
        var line = 0
        while let bytes = try reader.nextBytes() {
            line += 1
            let text = String(decoding: bytes, as: UTF8.self)
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let genes = Self.genes(inLine: text)
            if let problem = Self.notGenes(text, genes) {
                throw NegativesError(
                    .notGeneList, path: path, line: line,
                    "\(problem): --known takes known fusions, a gene pair per line (`A--B`, two gene columns, or "
                        + "FusionAI's 8 columns)")
            }
            names.formUnion(genes)
        }
        self.init(names: names)
    }

    /// Why a line's "genes" cannot be gene names, if they cannot: a GTF or GFF feature line (the
    /// annotation given twice, a slip of the shell), or a number (a BED's positions).
    static func notGenes(_ line: String, _ genes: [String]) -> String? {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
        if fields.count == 9, Int(fields[3]) != nil, Int(fields[4]) != nil, ["+", "-", "."].contains(fields[6]) {
            return "is a GTF/GFF feature line, not a gene pair"
        }
        if let number = genes.first(where: { Int($0) != nil }) {
            return "gives '\(number)' as a gene name: is this a BED or another table?"
        }
        return nil
    }

    /// The gene names a line gives (see the type's documentation).
    static func genes(inLine line: String) -> [String] {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard let first = fields.first else { return [] }
        var found: [String]
        if first.contains("--") {
            found = first.components(separatedBy: "--")
        } else if fields.count >= 8, Int(fields[2]) != nil, Int(fields[6]) != nil {
            found = [fields[0], fields[4]]
        } else {
            found = Array(fields.prefix(2))
        }
        found = found.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return found
    }

    /// Whether `gene` is on the list, by name, ID or unversioned ID.
    public func contains(_ gene: GeneAnnotation.Gene) -> Bool {
        if names.contains(gene.name) || names.contains(gene.id) { return true }
        return GeneAnnotation.unversioned(gene.id).map(names.contains) ?? false
    }
}
