import Genome

/// ChimPipe's `chimericJunctions` table: `juncCoord` is `chrA_posA_strandA:chrB_posB_strandB`, A the
/// donor (5') side, positions 1-based (last base of the donor exon, first of the acceptor's), strands
/// transcribed. Genes are `gnNamesA`/`gnNamesB` (the first of a comma list).
struct ChimPipeRowParser: FusionRowParser {
    private let junction: Int, gene: [Int]

    init(_ description: FormatDescription, header: HeaderColumns?, path: String, annotation: GeneAnnotation?) throws {
        let found = try (header ?? HeaderColumns([])).require(
            ["juncCoord", "gnNamesA", "gnNamesB"], format: description.format, path: path)
        junction = found[0]
        gene = [found[1], found[2]]
    }

    func parse(_ fields: [Substring], line: Int) -> RowResult {
        let row = Row(fields: fields, line: line)
        do throws(Rejection) {
            let coordinates = try row.field(junction, "juncCoord")
            let halves = coordinates.split(separator: ":", omittingEmptySubsequences: false)
            guard halves.count == 2 else {
                throw row.malformed("juncCoord '\(coordinates)' is not chr_pos_strand:chr_pos_strand")
            }
            var sides: [Breakpoint] = []
            for i in 0..<2 {
                let name = ["gnNamesA", "gnNamesB"][i]
                let genes = try row.name(gene[i], name)
                let first = genes.split(separator: ",").first.map(String.init) ?? ""
                guard !first.isEmpty, first != ".", first != "na" else {
                    throw row.reject(.intergenic, "\(name) is '\(genes)': ChimPipe names no gene at this side")
                }
                // Split from the right: contig names hold '_' (chr17_ctg5_hap1).
                let parts = halves[i].split(separator: "_", omittingEmptySubsequences: false)
                guard parts.count >= 3, let strand = Strand(parts[parts.count - 1]) else {
                    throw row.malformed("juncCoord '\(coordinates)' is not chr_pos_strand:chr_pos_strand")
                }
                let chromosome = parts[..<(parts.count - 2)].joined(separator: "_")
                guard !chromosome.isEmpty, let position = parts[parts.count - 2].genomePosition else {
                    throw row.malformed(
                        "juncCoord '\(coordinates)': '\(halves[i])' has no chromosome or no position "
                            + "(a whole number from 1 to 2^40)")
                }
                sides.append(Breakpoint(gene: first, chromosome: chromosome, position: position, strand: strand))
            }
            return .record(FusionRecord(head: sides[0], tail: sides[1], line: line, sourceFields: row.sourceFields))
        } catch {
            return .rejected(error)
        }
    }
}
