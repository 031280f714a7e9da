import Genome

/// Illumina DRAGEN's RNA fusion calls (`#FusionGene Score LeftBreakpoint RightBreakpoint ...`).
///
/// `FusionGene` is `5'GENE--3'GENE`; breakpoints are `chr:pos:strand`, the strand being the gene's.
struct DragenRowParser: FusionRowParser {
    static let separator = UInt8(ascii: "\t")
    static let requiresHeader = true
    static let columnNames = ["FusionGene", "LeftBreakpoint", "RightBreakpoint"]

    private let fusionGene: Int, leftBreakpoint: Int, rightBreakpoint: Int

    static func recognises(header fields: [Substring]) -> Bool {
        HeaderColumns(fields).contains(all: columnNames)
    }

    init(header: [Substring]?, path: String) throws {
        guard let header else {
            throw FusionInputError(
                .missingHeader,
                path: path,
                "DRAGEN fusion files start with a header line (#FusionGene Score LeftBreakpoint RightBreakpoint ...); "
                    + "none found"
            )
        }
        let columns = try HeaderColumns(header).require(Self.columnNames, format: .dragen, path: path)
        (fusionGene, leftBreakpoint, rightBreakpoint) = (columns[0], columns[1], columns[2])
    }

    func parse(_ fields: [Substring], line: Int) -> RowResult {
        let row = Row(fields: fields, line: line)
        do throws(Rejection) {
            let name = try row.field(fusionGene, "FusionGene")
            // Gene names hold single hyphens (MT-ND2), never the double one between partners.
            let genes = name.split(separator: "--", omittingEmptySubsequences: false)
            guard genes.count == 2, !genes[0].isEmpty, !genes[1].isEmpty else {
                return .rejected(row.malformed("FusionGene '\(name)' is not GENE1--GENE2"))
            }
            let left = try row.breakpointWithStrand(leftBreakpoint, "LeftBreakpoint")
            let right = try row.breakpointWithStrand(rightBreakpoint, "RightBreakpoint")
            return .record(
                FusionRecord(
                    head: Breakpoint(
                        gene: String(genes[0]), chromosome: left.chromosome, position: left.position,
                        strand: left.strand),
                    tail: Breakpoint(
                        gene: String(genes[1]), chromosome: right.chromosome, position: right.position,
                        strand: right.strand),
                    line: line, sourceFields: row.sourceFields))
        } catch {
            return .rejected(error)
        }
    }
}
