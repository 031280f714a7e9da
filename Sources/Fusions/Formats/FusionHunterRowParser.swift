import Genome

/// FusionHunter's `FusionHunter.fusion`: one block of lines per fusion,
///
///     # Fusion: NAME chrA:s-e+chrB:s-e[oAoB](pairs)
///     -> READ  SEQA SEQB  chrA:start-end chrB:start-end  GENEA x GENEB	known x known
///     ...
///     # Total # of Junction Spanning Reads: k
///
/// `oA`/`oB` orient the reads' A and B segments, so the junction is `oA == + ? endA : startA` and
/// `oB == + ? startB : endB` (1-based; the most frequent pair over the block's reads, the first of
/// equals). The pair is in read order, not 5' to 3': with a gene annotation the order and strands
/// follow (``PartnerSide``); without one, the block is kept as written with strands `.`.
struct FusionHunterRowParser: FusionRowParser {
    static let block = FormatDescription.Block(start: "# Fusion:", end: "# Total # of Junction Spanning Reads:")

    private let annotation: GeneAnnotation?

    init(_ description: FormatDescription, header: HeaderColumns?, path: String, annotation: GeneAnnotation?) throws {
        self.annotation = annotation
    }

    /// Whether `fields`, a file's first line, opens a FusionHunter block.
    static func matches(_ fields: [Substring]) -> Bool {
        fields.count == 1 && fields[0].hasPrefix(block.start)
    }

    /// One read's junction.
    private struct Junction: Hashable {
        let chromosome: [String]
        let position: [Int]
        let gene: [String]
    }

    /// `fields` are the block's lines, `line` the line of its first.
    func parse(_ fields: [Substring], line: Int) -> RowResult {
        let row = Row(fields: fields, line: line)
        do throws(Rejection) {
            let opening = fields.first ?? ""
            guard opening.hasPrefix(Self.block.start), let close = opening.lastIndex(of: "]"),
                let open = opening[..<close].lastIndex(of: "["), opening.distance(from: open, to: close) == 3
            else {
                throw row.malformed("'\(opening.prefix(80))' does not open a block (# Fusion: ...[oAoB](n))")
            }
            let orientation = opening[opening.index(after: open)..<close].map { Strand(rawValue: $0) }
            guard orientation.allSatisfy({ $0 == .plus || $0 == .minus }) else {
                throw row.malformed("'\(opening[open...close])' is not two read orientations such as [+-]")
            }
            let reads = fields.dropFirst().filter { $0.hasPrefix("->") }
            guard let last = fields.last, fields.count > 1, last.hasPrefix(Self.block.end) else {
                throw row.malformed("the block ends before its '\(Self.block.end) k' line (a truncated file?)")
            }
            guard let total = Int(last.dropFirst(Self.block.end.count).trimmingBlanks), total == reads.count else {
                throw row.malformed("'\(last)' does not count the block's \(reads.count) read line(s)")
            }
            var counts: [Junction: Int] = [:]
            var order: [Junction] = []
            for (offset, read) in reads.enumerated() {
                let junction = try Self.junction(read, orientation: orientation, row: row, read: offset + 1)
                if counts[junction] == nil { order.append(junction) }
                counts[junction, default: 0] += 1
            }
            guard let best = order.max(by: { counts[$0, default: 0] < counts[$1, default: 0] }) else {
                throw row.reject(.unplacedBreakpoint, "the block has no '->' read line")
            }
            let partners = (0..<2).map {
                Breakpoint(
                    gene: best.gene[$0], chromosome: best.chromosome[$0], position: best.position[$0],
                    strand: .unknown)
            }
            // Read order A then B is the side model's orientation A: A kept left of its junction on `+`.
            let sides: [PartnerSide] = [
                orientation[0] == .plus ? .left : .right, orientation[1] == .plus ? .right : .left,
            ]
            return .record(
                try PartnerSide.record(partners, sides: sides, annotation: annotation, row: row, caller: "FusionHunter")
            )
        } catch {
            return .rejected(error)
        }
    }

    /// The junction of one `->` line (the `read`th of the block).
    private static func junction(
        _ text: Substring, orientation: [Strand?], row: Row, read: Int
    ) throws(Rejection) -> Junction {
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard tokens.count >= 9 else {
            throw row.malformed("read line \(read) has \(tokens.count) token(s), not 9 or more")
        }
        var chromosomes: [String] = []
        var positions: [Int] = []
        for side in 0..<2 {
            let segment = tokens[4 + side]
            guard let colon = segment.lastIndex(of: ":") else {
                throw row.malformed("read line \(read): '\(segment)' is not chr:start-end")
            }
            let ends = segment[segment.index(after: colon)...].split(separator: "-")
            guard ends.count == 2, let start = ends[0].genomePosition, let end = ends[1].genomePosition,
                start <= end, colon != segment.startIndex
            else {
                throw row.malformed("read line \(read): '\(segment)' is not chr:start-end")
            }
            // A's junction is its segment's 3' end in read direction, B's its 5' end.
            let atEnd = (orientation[side] == .plus) == (side == 0)
            chromosomes.append(String(segment[..<colon]))
            positions.append(atEnd ? end : start)
        }
        return Junction(chromosome: chromosomes, position: positions, gene: [String(tokens[6]), String(tokens[8])])
    }
}
