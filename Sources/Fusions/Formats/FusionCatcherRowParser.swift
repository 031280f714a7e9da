import Genome

/// FusionCatcher's `final-list_candidate-fusion-genes.txt`.
///
/// Gene 1 is the 5' partner; `Fusion_point_for_gene_1(5end_fusion_partner)` is `chr:pos:strand`,
/// the strand being the gene's.
struct FusionCatcherRowParser: FusionRowParser {
    static let separator = UInt8(ascii: "\t")
    static let requiresHeader = true
    static let columnNames = [
        "Gene_1_symbol(5end_fusion_partner)", "Fusion_point_for_gene_1(5end_fusion_partner)",
        "Gene_2_symbol(3end_fusion_partner)", "Fusion_point_for_gene_2(3end_fusion_partner)",
    ]

    private let gene1: Int, point1: Int, gene2: Int, point2: Int

    static func recognises(header fields: [Substring]) -> Bool {
        HeaderColumns(fields).contains(all: columnNames)
    }

    init(header: [Substring]?, path: String) throws {
        guard let header else {
            throw FusionInputError(
                .missingHeader,
                path: path,
                "FusionCatcher files start with a header line (Gene_1_symbol(5end_fusion_partner) ...); none found")
        }
        let columns = try HeaderColumns(header).require(Self.columnNames, format: .fusionCatcher, path: path)
        (gene1, point1, gene2, point2) = (columns[0], columns[1], columns[2], columns[3])
    }

    func parse(_ fields: [Substring], line: Int) -> RowResult {
        let row = Row(fields: fields, line: line)
        do throws(Rejection) {
            let names = Self.columnNames
            let head = try breakpoint(row, gene: gene1, names[0], at: point1, names[1])
            let tail = try breakpoint(row, gene: gene2, names[2], at: point2, names[3])
            return .record(FusionRecord(head: head, tail: tail, line: line, sourceFields: row.sourceFields))
        } catch {
            return .rejected(error)
        }
    }

    private func breakpoint(_ row: Row, gene: Int, _ geneColumn: String, at point: Int, _ pointColumn: String)
        throws(Rejection) -> Breakpoint
    {
        let name = try row.name(gene, geneColumn)
        let site = try row.breakpointWithStrand(point, pointColumn)
        return Breakpoint(gene: name, chromosome: site.chromosome, position: site.position, strand: site.strand)
    }
}
