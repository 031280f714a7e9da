import Genome

/// JAFFA's `jaffa_results.csv` (`sample,fusion genes,chrom1,base1,strand1,chrom2,base2,strand2,...`).
///
/// Comma-separated, text fields possibly quoted (R's `write.csv`). `fusion genes` is `5'GENE:3'GENE`.
/// Releases before the strand columns were added give no strand: their rows become records with
/// `.unknown` strands, left for a gene annotation to fill.
struct JaffaRowParser: FusionRowParser {
    static let separator = UInt8(ascii: ",")
    static let requiresHeader = true
    static let columnNames = ["fusion genes", "chrom1", "base1", "chrom2", "base2"]

    private let genes: Int, chromosome: [Int], base: [Int]
    /// `strand1`, `strand2`, or nil for releases without them.
    private let strand: [Int]?

    static func fields(of line: String) -> [Substring] {
        line.quotedFields(separatedBy: separator)
    }

    static func recognises(header fields: [Substring]) -> Bool {
        HeaderColumns(fields).contains(all: columnNames)
    }

    init(header: [Substring]?, path: String) throws {
        guard let header else {
            throw FusionInputError(
                .missingHeader,
                path: path, "JAFFA files start with a header line (sample,fusion genes,chrom1,base1,...); none found")
        }
        let columns = HeaderColumns(header)
        let found = try columns.require(Self.columnNames, format: .jaffa, path: path)
        genes = found[0]
        chromosome = [found[1], found[3]]
        base = [found[2], found[4]]
        if let strand1 = columns["strand1"], let strand2 = columns["strand2"] {
            strand = [strand1, strand2]
        } else {
            strand = nil
        }
    }

    func parse(_ fields: [Substring], line: Int) -> RowResult {
        let row = Row(fields: fields, line: line)
        do throws(Rejection) {
            let pair = try row.field(genes, "fusion genes")
            let names = pair.split(separator: ":", omittingEmptySubsequences: false)
            guard names.count == 2, !names[0].isEmpty, !names[1].isEmpty else {
                throw row.malformed("fusion genes '\(pair)' is not GENE1:GENE2")
            }
            var sides: [Breakpoint] = []
            for i in 0..<2 {
                let n = i + 1
                let chrom = try row.name(chromosome[i], "chrom\(n)")
                let position = try row.position(base[i], "base\(n)")
                let strand =
                    try strand.map { columns throws(Rejection) in try row.strand(columns[i], "strand\(n)") } ?? .unknown
                sides.append(Breakpoint(gene: String(names[i]), chromosome: chrom, position: position, strand: strand))
            }
            return .record(FusionRecord(head: sides[0], tail: sides[1], line: line, sourceFields: row.sourceFields))
        } catch {
            return .rejected(error)
        }
    }
}
