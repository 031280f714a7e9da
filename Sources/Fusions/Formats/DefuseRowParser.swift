import Genome

/// deFuse's and nFuse's results (same author, same annotation step): the pair is listed unordered.
///
/// `gene_align_strand` is `+` when a partner's retained sequence lies upstream of its breakpoint in
/// its own gene's orientation, i.e. when it is the 5' partner. So `+`/`-` makes gene 1 the head,
/// `-`/`+` gene 2; `+`/`+` and `-`/`-` leave one partner antisense either way and are rejected. The
/// record's strands are the genes' (`gene_strand`). Positions are `genomic_break_pos`, 1-based
/// (nFuse's `breakpos` are on a transcript or a chromosome, so they are not used).
struct DefuseRowParser: FusionRowParser {
    private let gene: [Int], chromosome: [Int], position: [Int], geneStrand: [Int], alignStrand: [Int]

    static let columns = [
        "gene_name", "gene_chromosome", "genomic_break_pos", "gene_strand", "gene_align_strand",
    ]

    init(_ description: FormatDescription, header: HeaderColumns?, path: String, annotation: GeneAnnotation?) throws {
        let names = Self.columns.flatMap { [$0 + "1", $0 + "2"] }
        let found = try (header ?? HeaderColumns([])).require(names, format: description.format, path: path)
        gene = [found[0], found[1]]
        chromosome = [found[2], found[3]]
        position = [found[4], found[5]]
        geneStrand = [found[6], found[7]]
        alignStrand = [found[8], found[9]]
    }

    func parse(_ fields: [Substring], line: Int) -> RowResult {
        let row = Row(fields: fields, line: line)
        do throws(Rejection) {
            var sides: [Breakpoint] = []
            var aligned: [Strand] = []
            for i in 0..<2 {
                let n = i + 1
                sides.append(
                    Breakpoint(
                        gene: try row.name(gene[i], "gene_name\(n)"),
                        chromosome: try row.name(chromosome[i], "gene_chromosome\(n)"),
                        position: try row.position(position[i], "genomic_break_pos\(n)"),
                        strand: try row.strand(geneStrand[i], "gene_strand\(n)")))
                aligned.append(try row.strand(alignStrand[i], "gene_align_strand\(n)"))
            }
            switch (aligned[0], aligned[1]) {
            case (.plus, .minus):
                return .record(FusionRecord(head: sides[0], tail: sides[1], line: line, sourceFields: row.sourceFields))
            case (.minus, .plus):
                return .record(FusionRecord(head: sides[1], tail: sides[0], line: line, sourceFields: row.sourceFields))
            default:
                throw row.reject(
                    .unknownStrand,
                    "gene_align_strand1/2 are '\(aligned[0].symbol)'/'\(aligned[1].symbol)': one partner is antisense "
                        + "whichever is 5', so the orientation is unknown")
            }
        } catch {
            return .rejected(error)
        }
    }
}
