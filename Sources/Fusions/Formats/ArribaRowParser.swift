import Genome

/// Arriba's `fusions.tsv`, v1 and v2 layouts (v2 moved and added columns, so columns are found by name).
///
/// `strand1(gene/fusion)` holds two strands: the gene's per the annotation, and the strand the
/// fusion is transcribed from; the second is the record's. When Arriba can tell that strand, gene1
/// is the 5' partner; when it cannot (`.`), neither the order nor the orientation is known, so the row
/// is rejected. An intergenic breakpoint (gene written `GENE1(1234),GENE2(5678)`, the nearest genes
/// and their distances, or `site` `intergenic`) has no gene to orient, so it is rejected too.
struct ArribaRowParser: FusionRowParser {
    private let gene: [Int], strand: [Int], breakpoint: [Int]
    /// `site1`, `site2` where the header has them.
    private let site: [Int?]

    init(_ description: FormatDescription, header: HeaderColumns?, path: String, annotation: GeneAnnotation?) throws {
        let columns = header ?? HeaderColumns([])
        let found = try columns.require(description.signature, format: description.format, path: path)
        gene = [found[0], found[1]]
        strand = [found[2], found[3]]
        breakpoint = [found[4], found[5]]
        site = [columns["site1"], columns["site2"]]
    }

    func parse(_ fields: [Substring], line: Int) -> RowResult {
        let row = Row(fields: fields, line: line)
        do throws(Rejection) {
            var sides: [(gene: String, chromosome: String, position: Int, strand: Strand)] = []
            for i in 0..<2 {
                let n = i + 1
                let name = try row.name(gene[i], "gene\(n)")
                let strands = try row.field(strand[i], "strand\(n)(gene/fusion)")
                guard let fusionStrand = Self.fusionStrand(strands) else {
                    throw row.malformed(
                        "strand\(n)(gene/fusion) '\(strands)' is not two strands such as +/+ or -/. (gene/fusion)")
                }
                let site = try row.breakpoint(breakpoint[i], "breakpoint\(n)")
                sides.append((name, site.chromosome, site.position, fusionStrand))
            }
            for i in 0..<2 {
                let n = i + 1
                if sides[i].gene == "." || sides[i].gene.contains("(") {
                    throw row.reject(
                        .intergenic,
                        "gene\(n) '\(sides[i].gene)' is intergenic (Arriba names the nearest genes and their "
                            + "distances), so it has no gene orientation"
                    )
                }
                if let column = site[i], column < fields.count, fields[column].trimmingBlanks == "intergenic" {
                    throw row.reject(
                        .intergenic,
                        "site\(n) is 'intergenic': breakpoint\(n) lies outside any gene, so it has no gene orientation")
                }
            }
            for i in 0..<2 where sides[i].strand == .unknown {
                let n = i + 1
                throw row.reject(
                    .unknownStrand,
                    "strand\(n)(gene/fusion) '\(fields[strand[i]].trimmingBlanks)': Arriba could not tell the "
                        + "transcribed strand, so which partner is 5' is unknown"
                )
            }
            let head = sides[0]
            let tail = sides[1]
            return .record(
                FusionRecord(
                    head: Breakpoint(
                        gene: head.gene, chromosome: head.chromosome, position: head.position, strand: head.strand),
                    tail: Breakpoint(
                        gene: tail.gene, chromosome: tail.chromosome, position: tail.position, strand: tail.strand),
                    line: line, sourceFields: row.sourceFields))
        } catch {
            return .rejected(error)
        }
    }

    /// The fusion strand of `gene/fusion` (`+/-` -> `-`); a lone strand is taken as the fusion's.
    static func fusionStrand(_ text: Substring) -> Strand? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return Strand(parts[0])
        case 2: return Strand(parts[0]) == nil ? nil : Strand(parts[1])
        default: return nil
        }
    }
}
