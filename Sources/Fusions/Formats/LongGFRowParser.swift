import Genome

/// LongGF's log: only lines `GF\t<G1>:<G2> <max1> <max2> supporting reads=<n1>/<n2> <hist1> <hist2>
/// <chrA>:<posA> <L1>/<R1>:<tot>:<mm> <chrB>:<posB> <L2>/<R2>:<tot>:<mm>` are calls; other lines are
/// not rows. Positions are 0-based; the record takes each partner's most frequent read junction
/// (`hist`, `pos:count;...`; ties: nearest the written mean) plus one, as the mean is pulled off the
/// splice site by noisy read ends. `L/R` counts reads starting/ending at the junction, so more `R`
/// means the partner is kept left of it. Genes come in gene-ID order with no strand: with a gene
/// annotation the order and strands follow (``PartnerSide``); without one, as written with `.`.
struct LongGFRowParser: FusionRowParser {
    private let annotation: GeneAnnotation?

    init(_ description: FormatDescription, header: HeaderColumns?, path: String, annotation: GeneAnnotation?) {
        self.annotation = annotation
    }

    /// Whether `fields` (split on tabs) is a LongGF call line.
    static func matches(_ fields: [Substring]) -> Bool {
        fields.count == 2 && fields[0] == "GF" && fields[1].split(separator: " ").count == 11
    }

    func parse(_ fields: [Substring], line: Int) -> RowResult {
        guard fields.first == "GF" else { return .ignored }
        let tokens = [fields[0]] + fields.dropFirst().joined(separator: " ").split(separator: " ").map { $0[...] }
        let row = Row(fields: tokens, line: line)
        do throws(Rejection) {
            let pair = try row.field(1, "genes")
            let genes = pair.split(separator: ":", omittingEmptySubsequences: false)
            guard genes.count == 2, !genes[0].isEmpty, !genes[1].isEmpty else {
                throw row.malformed("genes '\(pair)' is not GENE1:GENE2")
            }
            var partners: [Breakpoint] = []
            var sides: [PartnerSide] = []
            for i in 0..<2 {
                let n = i + 1
                let site = try row.field(8 + 2 * i, "position \(n)")
                guard let colon = site.lastIndex(of: ":"), colon > site.startIndex,
                    let mean = Int(site[site.index(after: colon)...]), mean >= 0
                else { throw row.malformed("position \(n) '\(site)' is not chr:pos") }
                let histogram = try row.field(6 + i, "junction histogram \(n)")
                guard let mode = Self.mode(histogram, near: mean), mode < ChromosomeInfo.largestPosition else {
                    throw row.malformed("junction histogram \(n) '\(histogram)' is not pos:count;...")
                }
                let ends = try row.field(9 + 2 * i, "read ends \(n)")
                let counts = ends.split(separator: ":").first?.split(separator: "/").compactMap { Int($0) } ?? []
                guard counts.count == 2 else { throw row.malformed("read ends \(n) '\(ends)' is not L/R:total:mm") }
                partners.append(
                    Breakpoint(
                        gene: String(genes[i]), chromosome: String(site[..<colon]), position: mode + 1,
                        strand: .unknown))
                sides.append(counts[1] > counts[0] ? .left : .right)
            }
            return .record(
                try PartnerSide.record(partners, sides: sides, annotation: annotation, row: row, caller: "LongGF"))
        } catch {
            return .rejected(error)
        }
    }

    /// The most frequent position of `pos:count;...`, ties broken by nearness to `mean`; nil if malformed.
    static func mode(_ histogram: Substring, near mean: Int) -> Int? {
        var best: (position: Int, count: Int)?
        for entry in histogram.split(separator: ";") {
            let parts = entry.split(separator: ":")
            guard parts.count == 2, let position = Int(parts[0]), let count = Int(parts[1]), position >= 0 else {
                return nil
            }
            if let current = best {
                guard
                    count > current.count
                        || count == current.count && abs(position - mean) < abs(current.position - mean)
                else { continue }
            }
            best = (position, count)
        }
        return best?.position
    }
}
