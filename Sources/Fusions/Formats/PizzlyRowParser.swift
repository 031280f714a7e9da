import Genome

/// pizzly's flat table (`geneA.name geneA.id geneB.name geneB.id paircount splitcount transcripts.list`).
///
/// pizzly places fusions on transcripts only (`ENST..._0:3526_ENST..._1247:9578`), with no genomic
/// breakpoint, so every row is recognised and rejected as unplaced, with the genes named.
struct PizzlyRowParser: FusionRowParser {
    private let geneA: Int, geneB: Int

    init(_ description: FormatDescription, header: HeaderColumns?, path: String, annotation: GeneAnnotation?) throws {
        let found = try (header ?? HeaderColumns([])).require(description.signature, format: .pizzly, path: path)
        (geneA, geneB) = (found[0], found[2])
    }

    func parse(_ fields: [Substring], line: Int) -> RowResult {
        let row = Row(fields: fields, line: line)
        do throws(Rejection) {
            let a = try row.name(geneA, "geneA.name")
            let b = try row.name(geneB, "geneB.name")
            return .rejected(
                row.reject(
                    .unplacedBreakpoint,
                    "pizzly reports transcript coordinates only; \(a)--\(b) has no genomic breakpoint (call it with a "
                        + "genome-aligned caller such as STAR-Fusion or Arriba)"
                ))
        } catch {
            return .rejected(error)
        }
    }
}
