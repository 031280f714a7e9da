import Genome

/// STAR-Fusion, FusionInspector and CTAT-LR-Fusion (`#FusionName ... LeftGene LeftBreakpoint
/// RightGene RightBreakpoint ...`; the three differ in the other columns, so columns are found by name).
///
/// Left is the 5' partner. Genes are written `SYMBOL^ENSG...` (the symbol is kept); breakpoints
/// `chr:pos:strand`, the strand being the gene's.
struct StarFusionRowParser: FusionRowParser {
    static let separator = UInt8(ascii: "\t")
    static let requiresHeader = true
    static let columnNames = ["LeftGene", "LeftBreakpoint", "RightGene", "RightBreakpoint"]

    private let leftGene: Int, leftBreakpoint: Int, rightGene: Int, rightBreakpoint: Int

    static func recognises(header fields: [Substring]) -> Bool {
        HeaderColumns(fields).contains(all: ["FusionName"] + columnNames)
    }

    init(header: [Substring]?, path: String) throws {
        guard let header else {
            throw FusionInputError(
                .missingHeader,
                path: path,
                "STAR-Fusion files start with a header line (#FusionName ... LeftBreakpoint ...); none found")
        }
        let columns = try HeaderColumns(header).require(Self.columnNames, format: .starFusion, path: path)
        (leftGene, leftBreakpoint, rightGene, rightBreakpoint) = (columns[0], columns[1], columns[2], columns[3])
    }

    func parse(_ fields: [Substring], line: Int) -> RowResult {
        let row = Row(fields: fields, line: line)
        do throws(Rejection) {
            let head = try breakpoint(row, gene: leftGene, "LeftGene", at: leftBreakpoint, "LeftBreakpoint")
            let tail = try breakpoint(row, gene: rightGene, "RightGene", at: rightBreakpoint, "RightBreakpoint")
            return .record(FusionRecord(head: head, tail: tail, line: line, sourceFields: row.sourceFields))
        } catch {
            return .rejected(error)
        }
    }

    private func breakpoint(_ row: Row, gene: Int, _ geneColumn: String, at position: Int, _ positionColumn: String)
        throws(Rejection) -> Breakpoint
    {
        let name = Self.symbol(try row.name(gene, geneColumn))
        let site = try row.breakpointWithStrand(position, positionColumn)
        return Breakpoint(gene: name, chromosome: site.chromosome, position: site.position, strand: site.strand)
    }

    /// `FGFR3^ENSG00000068078` -> `FGFR3` (the ID when the symbol is empty).
    static func symbol(_ gene: String) -> String {
        guard let caret = gene.firstIndex(of: "^") else { return gene }
        let symbol = gene[..<caret]
        return String(symbol.isEmpty ? gene[gene.index(after: caret)...] : symbol)
    }
}
