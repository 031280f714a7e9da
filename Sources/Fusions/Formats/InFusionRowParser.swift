import Genome

/// InFusion's `fusions.txt`: genes `genes_1/2` (first of a `;` list), chromosomes `ref1/2`, 1-based
/// `break_pos1/2`, no strands, and an order that is not always 5' to 3'. `region1/2` (`[start,end]`
/// of the evidence) tells each partner's side: kept left of the breakpoint when it lies nearer the
/// region's end. With a gene annotation, the order and strands follow (``PartnerSide``); without
/// one, the row is kept as written with strands `.`.
struct InFusionRowParser: FusionRowParser {
    private let gene: [Int], chromosome: [Int], position: [Int], region: [Int]
    private let annotation: GeneAnnotation?

    init(_ description: FormatDescription, header: HeaderColumns?, path: String, annotation: GeneAnnotation?) throws {
        let names = ["genes_1", "genes_2", "ref1", "ref2", "break_pos1", "break_pos2", "region1", "region2"]
        let found = try (header ?? HeaderColumns([])).require(names, format: description.format, path: path)
        gene = [found[0], found[1]]
        chromosome = [found[2], found[3]]
        position = [found[4], found[5]]
        region = [found[6], found[7]]
        self.annotation = annotation
    }

    func parse(_ fields: [Substring], line: Int) -> RowResult {
        let row = Row(fields: fields, line: line)
        do throws(Rejection) {
            var partners: [Breakpoint] = []
            var sides: [PartnerSide] = []
            for i in 0..<2 {
                let n = i + 1
                let genes = try row.name(gene[i], "genes_\(n)")
                guard let first = genes.split(separator: ";").first, first != "none" else {
                    throw row.reject(.intergenic, "genes_\(n) is '\(genes)': InFusion names no gene at this side")
                }
                let breakpoint = Breakpoint(
                    gene: String(first), chromosome: try row.name(chromosome[i], "ref\(n)"),
                    position: try row.position(position[i], "break_pos\(n)"), strand: .unknown)
                let span = try row.field(region[i], "region\(n)")
                let ends = span.trimmingPrefix("[").dropLast(span.hasSuffix("]") ? 1 : 0).split(separator: ",")
                guard ends.count == 2, let start = Int(ends[0]), let end = Int(ends[1]), start <= end else {
                    throw row.malformed("region\(n) '\(span)' is not [start,end]")
                }
                partners.append(breakpoint)
                sides.append(end - breakpoint.position < breakpoint.position - start ? .left : .right)
            }
            return .record(
                try PartnerSide.record(partners, sides: sides, annotation: annotation, row: row, caller: "InFusion"))
        } catch {
            return .rejected(error)
        }
    }
}
