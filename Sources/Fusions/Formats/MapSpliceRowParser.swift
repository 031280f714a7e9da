import Genome

/// MapSplice 2's `fusions_well_annotated.txt` (no header, 62 fields and a trailing tab): field 0
/// `donorChr~acceptorChr`, 1 the donor's last base, 2 the acceptor's first (1-based), 5 both strands
/// (`-+`, transcript orientation), 60 and 61 the donor (5') and acceptor (3') genes (`ENO1,`).
struct MapSpliceRowParser: FusionRowParser {
    static let chromosomes = 0, donorEnd = 1, acceptorStart = 2, strands = 5, donorGene = 60, acceptorGene = 61

    init(_ description: FormatDescription, header: HeaderColumns?, path: String, annotation: GeneAnnotation?) {}

    /// Whether `fields` is a MapSplice fusion row.
    static func matches(_ fields: [Substring]) -> Bool {
        fields.count >= 62 && fields[chromosomes].split(separator: "~").count == 2
            && fields[donorEnd].genomePosition != nil && fields[acceptorStart].genomePosition != nil
            && fields[strands].count == 2 && fields[strands].allSatisfy { $0 == "+" || $0 == "-" }
    }

    func parse(_ fields: [Substring], line: Int) -> RowResult {
        let row = Row(fields: fields, line: line)
        do throws(Rejection) {
            let pair = try row.field(Self.chromosomes, "chromosomes (field 1)")
            let chromosomes = pair.split(separator: "~", omittingEmptySubsequences: false)
            guard chromosomes.count == 2, !chromosomes[0].isEmpty, !chromosomes[1].isEmpty else {
                throw row.malformed("field 1 '\(pair)' is not donorChr~acceptorChr")
            }
            let positions = [
                try row.position(Self.donorEnd, "donor end (field 2)"),
                try row.position(Self.acceptorStart, "acceptor start (field 3)"),
            ]
            let columns = [Self.donorGene, Self.acceptorGene]
            var sides: [Breakpoint] = []
            for i in 0..<2 {
                let strand = try row.strandCharacter(i, of: Self.strands, "strands (field 6)")
                let name = "\(i == 0 ? "donor" : "acceptor") gene (field \(columns[i] + 1))"
                let genes = try row.field(columns[i], name)
                guard let gene = genes.split(separator: ",").first else {
                    throw row.reject(.intergenic, "\(name) is empty: MapSplice annotated no gene at this side")
                }
                sides.append(
                    Breakpoint(
                        gene: String(gene), chromosome: String(chromosomes[i]), position: positions[i], strand: strand))
            }
            return .record(FusionRecord(head: sides[0], tail: sides[1], line: line, sourceFields: row.sourceFields))
        } catch {
            return .rejected(error)
        }
    }
}
