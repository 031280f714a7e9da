import Genome

/// pizzly's flat table (`geneA.name geneA.id geneB.name geneB.id paircount splitcount transcripts.list`).
///
/// pizzly places fusions on transcripts only (`ENST..._0:3526_ENST..._1247:9578`), with no genomic
/// breakpoint, so every row is recognised and rejected as unplaced, with the genes named.
struct PizzlyRowParser: FusionRowParser {
    static let separator = UInt8(ascii: "\t")
    static let requiresHeader = true
    static let columnNames = ["geneA.name", "geneA.id", "geneB.name", "geneB.id"]

    private let geneA: Int, geneB: Int

    static func recognises(header fields: [Substring]) -> Bool {
        HeaderColumns(fields).contains(all: columnNames)
    }

    init(header: [Substring]?, path: String) throws {
        guard let header else {
            throw FusionInputError(
                .missingHeader,
                path: path,
                "pizzly files start with a header line (geneA.name geneA.id geneB.name geneB.id ...); none found")
        }
        let found = try HeaderColumns(header).require(Self.columnNames, format: .pizzly, path: path)
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
