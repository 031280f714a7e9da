import Genome

/// SQUID's output annotated by its `AnnotateSQUIDOutput.py`
/// (`# chrom1 start1 end1 chrom2 start2 end2 name score strand1 strand2 Type FusedGenes`).
///
/// A row is two genome segments (BED-style: 0-based start, 1-based end) joined at a junction.
/// A segment's strand says at which end the junction lies: `+` at its end (1-based `end`), `-` at
/// its start (1-based `start + 1`). `FusedGenes` lists pairs as `5'GENE:3'GENE`.
///
/// Which segment holds the 5' gene is not in the row: segments come in genome order (in the sample,
/// chromosome names sorted as text, then position), not transcript order. Checked against the other
/// callers' hg38 calls in the shared sample: segment 2 is 5' in the FGFR3:TACC3 row
/// `4 1727976 1728733 4 1806048 1806934 . 785 - +` (FGFR3 4:1806934 = end2, TACC3 4:1727977 =
/// start1 + 1), but segment 1 is in the TMPRSS2:ETV1 row `21 41494374 41494578 7 13935707 13935838
/// . 12 - +` (TMPRSS2 21:41494375 = start1 + 1, ETV1 7:13935838 = end2): same strands, opposite
/// orders. SQUID's annotator (`utils/AnnotateSQUIDOutput.py`) lists the gene of segment k as 5' when
/// the gene's strand equals k's strand, and as 3' when it is the opposite. So:
/// - a gene annotation settles the order: by where the genes lie (within the annotator's 50-bp
///   slack), or, when the two segment strands differ, by either gene's strand (in a `- +` row, `+`
///   genes make segment 2 the 5' one, `-` genes segment 1); with equal segment strands (`+ +`,
///   `- -`) both orders ask the same gene strands, so only places can tell;
/// - the record's strands follow from the same rule (5' gene: its segment's strand; 3' gene: the
///   opposite of its segment's); they match the genes' strands in the sample (FGFR3 +, TACC3 +,
///   TMPRSS2 -, ETV1 -, ETV6 +, NTRK3 -, BRD4 -, NUTM1 +, AKAP9 +, BRAF -);
/// - without an annotation no row can be oriented: each is rejected as strand unknown.
struct SquidRowParser: FusionRowParser {
    /// SQUID's annotator matches genes within this many bases of a breakpoint (`fuzzy`).
    static let margin = 50

    private let chromosome: [Int], start: [Int], end: [Int], strand: [Int]
    private let type: Int, fusedGenes: Int
    private let annotation: GeneAnnotation?

    /// One segment's junction end.
    private struct Site {
        let chromosome: String
        let position: Int
        let strand: Strand
    }

    init(_ description: FormatDescription, header: HeaderColumns?, path: String, annotation: GeneAnnotation?) throws {
        let columns = header ?? HeaderColumns([])
        let found = try columns.require(description.signature, format: .squid, path: path)
        guard let type = columns["Type"], let fusedGenes = columns["FusedGenes"] else {
            throw FusionInputError(
                .missingColumn,
                path: path,
                "SQUID output without Type and FusedGenes columns names no genes: annotate it first with SQUID's "
                    + "utils/AnnotateSQUIDOutput.py <GTF> <squid output> <annotated output>"
            )
        }
        chromosome = [found[0], found[3]]
        start = [found[1], found[4]]
        end = [found[2], found[5]]
        strand = [found[6], found[7]]
        self.type = type
        self.fusedGenes = fusedGenes
        self.annotation = annotation
    }

    func parse(_ fields: [Substring], line: Int) -> RowResult {
        let row = Row(fields: fields, line: line)
        do throws(Rejection) {
            let sites = [try site(row, 0), try site(row, 1)]
            let kind = try row.field(type, "Type")
            guard kind == "fusion-gene" else {
                throw row.reject(
                    .intergenic,
                    "Type is '\(kind)', not 'fusion-gene': "
                        + "SQUID found no pair of genes joined 5' to 3' at this junction"
                )
            }
            let listed = try row.field(fusedGenes, "FusedGenes")
            guard !listed.isEmpty, listed != "." else {
                throw row.reject(.intergenic, "FusedGenes is '\(listed)': SQUID names no genes at this junction")
            }
            var pairs: [(String, String)] = []
            for pair in listed.split(separator: ",") {
                let genes = pair.split(separator: ":", omittingEmptySubsequences: false)
                guard genes.count == 2, !genes[0].isEmpty, !genes[1].isEmpty else {
                    throw row.malformed("FusedGenes '\(listed)' is not GENE1:GENE2[,GENE1:GENE2...]")
                }
                pairs.append((String(genes[0]), String(genes[1])))
            }
            guard let first = pairs.first else { throw row.malformed("FusedGenes '\(listed)' names no gene pair") }
            guard let annotation else {
                throw row.reject(
                    .unknownStrand,
                    "SQUID does not say which segment is \(first.0) (5') and which \(first.1) (3'), nor their strands: "
                        + "read it with a gene annotation (--annotation GTF) to place them"
                )
            }
            for (five, three) in pairs {
                guard let headSegment = Self.fivePrimeSegment(five, three, sites, annotation) else { continue }
                let head = sites[headSegment]
                let tail = sites[1 - headSegment]
                return .record(
                    FusionRecord(
                        head: Breakpoint(
                            gene: five, chromosome: head.chromosome, position: head.position, strand: head.strand),
                        tail: Breakpoint(
                            gene: three, chromosome: tail.chromosome, position: tail.position,
                            strand: tail.strand == .plus ? .minus : .plus),
                        line: line, sourceFields: row.sourceFields))
            }
            throw row.reject(
                .unknownStrand,
                "the annotation \(annotation.path) does not tell which segment is \(first.0) (5') and which \(first.1) "
                    + "(3'): it places neither gene at its breakpoint, and gives no strand that fits only one way"
            )
        } catch {
            return .rejected(error)
        }
    }

    /// Segment `i`'s junction end, 1-based.
    private func site(_ row: Row, _ i: Int) throws(Rejection) -> Site {
        let n = i + 1
        let chrom = try row.name(chromosome[i], "chrom\(n)")
        let startText = try row.field(start[i], "start\(n)")
        guard let first = Int(startText), first >= 0 else {
            throw row.malformed("start\(n) '\(startText)' is not a whole number (0-based)")
        }
        let last = try row.position(end[i], "end\(n)")
        guard last > first else { throw row.malformed("end\(n) \(last) is not after start\(n) \(first)") }
        let strandText = try row.field(strand[i], "strand\(n)")
        switch strandText {
        case "+": return Site(chromosome: chrom, position: last, strand: .plus)
        case "-": return Site(chromosome: chrom, position: first + 1, strand: .minus)
        default: throw row.malformed("strand\(n) '\(strandText)' is not + or -")
        }
    }

    /// Which segment (0 or 1) is `five`'s, or nil when the annotation cannot tell.
    private static func fivePrimeSegment(_ five: String, _ three: String, _ sites: [Site], _ annotation: GeneAnnotation)
        -> Int?
    {
        func lies(_ gene: String, at site: Site) -> Bool {
            annotation.gene(named: gene, liesAt: site.position, on: site.chromosome, margin: margin)
        }
        let firstIs5 = lies(five, at: sites[0]) && lies(three, at: sites[1])
        let secondIs5 = lies(five, at: sites[1]) && lies(three, at: sites[0])
        if firstIs5 != secondIs5 { return firstIs5 ? 0 : 1 }
        // With equal segment strands both orders ask the same gene strands, so strands cannot decide.
        guard sites[0].strand != sites[1].strand else { return nil }
        let known = [
            annotation.strand(ofGene: five, chromosome: nil), annotation.strand(ofGene: three, chromosome: nil),
        ].compactMap { $0 }
        guard !known.isEmpty else { return nil }
        // Both genes take the 5' segment's strand (the 3' gene's is the opposite of its segment's).
        let fits = [0, 1].filter { k in known.allSatisfy { $0 == sites[k].strand } }
        return fits.count == 1 ? fits[0] : nil
    }
}
