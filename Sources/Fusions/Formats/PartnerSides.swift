import Genome

/// For callers that list a pair unordered and without strands (InFusion, LongGF), each partner's
/// side: whether its retained sequence lies at or below its breakpoint (`.left`) or at or above it
/// (`.right`). Written as partner 1 then partner 2, partner 1 is read toward its breakpoint and
/// partner 2 away from it; the transcribed orientation is the one whose strands equal the genes'.
enum PartnerSide: Sendable {
    case left, right

    /// Which partner is 5' and both strands, given the genes' strands from an annotation.
    /// - Returns: the record's sides in 5', 3' order with their strands; nil when neither order
    ///   gives the genes' strands (a partner antisense either way) or a gene's strand is unknown.
    static func orient(_ partners: [Breakpoint], sides: [PartnerSide], geneStrands: [Strand?]) -> [Breakpoint]? {
        guard partners.count == 2, sides.count == 2, geneStrands.count == 2 else { return nil }
        for (five, three) in [(0, 1), (1, 0)] {
            let fiveStrand: Strand = sides[five] == .left ? .plus : .minus
            let threeStrand: Strand = sides[three] == .left ? .minus : .plus
            guard geneStrands[five] == fiveStrand, geneStrands[three] == threeStrand else { continue }
            var head = partners[five]
            var tail = partners[three]
            head.strand = fiveStrand
            tail.strand = threeStrand
            return [head, tail]
        }
        return nil
    }
}

extension PartnerSide {
    /// The record of an unordered pair: oriented by the genes' strands in `annotation` when it has
    /// both, else as written with strands `.` (left for the annotation step, or for the user).
    /// - Throws: `.unknownStrand` when the annotation's strands fit neither order.
    static func record(
        _ partners: [Breakpoint], sides: [PartnerSide], annotation: GeneAnnotation?, row: Row, caller: String
    ) throws(Rejection) -> FusionRecord {
        let strands = partners.map {
            annotation?.strand(ofGene: $0.gene, chromosome: $0.chromosome, position: $0.position)
        }
        guard strands.allSatisfy({ $0 != nil && $0 != .unknown }) else {
            return FusionRecord(head: partners[0], tail: partners[1], line: row.line, sourceFields: row.sourceFields)
        }
        guard let oriented = orient(partners, sides: sides, geneStrands: strands) else {
            throw row.reject(
                .unknownStrand,
                "\(caller) lists \(partners[0].gene) and \(partners[1].gene) unordered, and their genes' strands "
                    + "fit neither order: one partner is antisense, so the orientation is unknown")
        }
        return FusionRecord(head: oriented[0], tail: oriented[1], line: row.line, sourceFields: row.sourceFields)
    }
}
