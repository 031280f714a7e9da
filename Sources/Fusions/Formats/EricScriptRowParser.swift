import Genome

/// EricScript's results (`GeneName1 GeneName2 chr1 Breakpoint1 strand1 chr2 Breakpoint2 strand2 ...`).
///
/// Gene 1 is the 5' partner; strands are the genes'. Where EricScript could not place a breakpoint
/// it writes text (`Unable to predict breakpoint position`) instead of a number: such rows are
/// rejected as unplaced.
struct EricScriptRowParser: FusionRowParser {
    static let separator = UInt8(ascii: "\t")
    static let requiresHeader = true
    static let columnNames = [
        "GeneName1", "GeneName2", "chr1", "Breakpoint1", "strand1", "chr2", "Breakpoint2", "strand2",
    ]

    private let gene: [Int], chromosome: [Int], position: [Int], strand: [Int]

    static func recognises(header fields: [Substring]) -> Bool {
        HeaderColumns(fields).contains(all: columnNames)
    }

    init(header: [Substring]?, path: String) throws {
        guard let header else {
            throw FusionInputError(
                .missingHeader,
                path: path,
                "EricScript files start with a header line (GeneName1 GeneName2 chr1 Breakpoint1 ...); none found")
        }
        let found = try HeaderColumns(header).require(Self.columnNames, format: .ericScript, path: path)
        gene = [found[0], found[1]]
        chromosome = [found[2], found[5]]
        position = [found[3], found[6]]
        strand = [found[4], found[7]]
    }

    func parse(_ fields: [Substring], line: Int) -> RowResult {
        let row = Row(fields: fields, line: line)
        do throws(Rejection) {
            var sides: [Breakpoint] = []
            for i in 0..<2 {
                let n = i + 1
                let name = try row.name(gene[i], "GeneName\(n)")
                let chrom = try row.name(chromosome[i], "chr\(n)")
                let text = try row.field(position[i], "Breakpoint\(n)")
                guard let value = Int(text) else {
                    // EricScript's way of saying it found the genes but not the junction.
                    throw row.reject(
                        .unplacedBreakpoint,
                        "Breakpoint\(n) of \(name) is '\(text)', not a position: EricScript could not place it")
                }
                guard value > 0, value <= ChromosomeInfo.largestPosition else {
                    throw row.malformed("Breakpoint\(n) '\(text)' is not a position (a whole number from 1 to 2^40)")
                }
                let strand = try row.strand(strand[i], "strand\(n)")
                sides.append(Breakpoint(gene: name, chromosome: chrom, position: value, strand: strand))
            }
            return .record(FusionRecord(head: sides[0], tail: sides[1], line: line, sourceFields: row.sourceFields))
        } catch {
            return .rejected(error)
        }
    }
}
