import Genome

/// ChimeraScan's `chimeras.bedpe` (v0.4): each partner's part of the chimera as an interval, both
/// ends 0-based and inclusive, from the 5' transcript start to the junction and from the junction to
/// the 3' transcript end. So the junction is the 5' interval's end on `+` (its start on `-`) and the
/// 3' interval's start on `+` (its end on `-`), plus one for 1-based. Strands are the transcripts'.
struct ChimeraScanRowParser: FusionRowParser {
    private let chromosome: [Int], start: [Int], end: [Int], strand: [Int], genes: [Int]

    static let sides = ["5p", "3p"]

    init(_ description: FormatDescription, header: HeaderColumns?, path: String, annotation: GeneAnnotation?) throws {
        let names = ["chrom", "start", "end", "strand", "genes"].flatMap { name in Self.sides.map { name + $0 } }
        let found = try (header ?? HeaderColumns([])).require(names, format: description.format, path: path)
        chromosome = [found[0], found[1]]
        start = [found[2], found[3]]
        end = [found[4], found[5]]
        strand = [found[6], found[7]]
        genes = [found[8], found[9]]
    }

    func parse(_ fields: [Substring], line: Int) -> RowResult {
        let row = Row(fields: fields, line: line)
        do throws(Rejection) {
            var sides: [Breakpoint] = []
            for i in 0..<2 {
                let side = Self.sides[i]
                let names = try row.name(genes[i], "genes" + side)
                let gene = names.split(separator: ",").first.map(String.init) ?? names
                let chrom = try row.name(chromosome[i], "chrom" + side)
                let first = try row.position(start[i], "start" + side, offset: 1)
                let last = try row.position(end[i], "end" + side, offset: 1)
                guard first <= last else {
                    throw row.malformed("start\(side) \(first - 1) is after end\(side) \(last - 1)")
                }
                let strand = try row.strand(strand[i], "strand" + side)
                guard strand != .unknown else { throw row.malformed("strand\(side) is '.', not + or -") }
                // The 5' part ends at the junction, the 3' part starts there, in transcript direction.
                let atEnd = (strand == .plus) == (i == 0)
                sides.append(Breakpoint(gene: gene, chromosome: chrom, position: atEnd ? last : first, strand: strand))
            }
            return .record(FusionRecord(head: sides[0], tail: sides[1], line: line, sourceFields: row.sourceFields))
        } catch {
            return .rejected(error)
        }
    }
}
