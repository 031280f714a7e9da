import Fusions
import Genome
import Results

/// One call of one sample, normalised to FusionAI's terms: a row of a sample's shard and of `calls.tsv`.
public struct CohortCall: Sendable, Equatable {
    public let sample: String
    /// The caller's format (`star-fusion`, `arriba`, ...).
    public let caller: String
    /// The file as the sample sheet names it.
    public let source: String
    /// 1-based line of `source`.
    public let line: Int
    public let head: Breakpoint
    public let tail: Breakpoint

    public init(sample: String, caller: String, source: String, line: Int, head: Breakpoint, tail: Breakpoint) {
        self.sample = sample
        self.caller = caller
        self.source = source
        self.line = line
        self.head = head
        self.tail = tail
    }

    public var key: PairKey { PairKey(head: head, tail: tail) }

    /// The shard row's fields (``CohortShardTable``).
    public var fields: [String] {
        [sample, caller, source, String(line)] + Self.breakpointFields(head, tail)
    }

    /// FusionAI's eight columns of a head and tail.
    public static func breakpointFields(_ head: Breakpoint, _ tail: Breakpoint) -> [String] {
        [
            head.gene, head.chromosome, String(head.position), head.strand.symbol, tail.gene, tail.chromosome,
            String(tail.position), tail.strand.symbol,
        ]
    }

    /// Reads a shard row back.
    /// - Throws: ``CohortError/Code/malformedRow`` naming the shard and line.
    public init(fields: [String], path: String, line: Int) throws {
        let count = CohortShardTable.schema.columns.count
        guard fields.count == count, let sourceLine = Int(fields[3]), let partners = Partners(fields[4...]) else {
            throw CohortError(
                .malformedRow, path: path, line: line,
                "is not a row of a cohort shard (\(count) columns: "
                    + "\(CohortShardTable.schema.columns.joined(separator: " "))); "
                    + "rerun `fusionai cohort sample` for this sample")
        }
        self.init(
            sample: fields[0], caller: fields[1], source: fields[2], line: sourceLine, head: partners.head,
            tail: partners.tail)
    }
}

/// A head and a tail read back from FusionAI's eight columns (a cohort table's row).
public struct Partners: Sendable {
    public let head: Breakpoint
    public let tail: Breakpoint

    /// nil unless `fields` are exactly the eight columns, with whole positions and known strand symbols.
    public init?(_ fields: ArraySlice<String>) {
        let f = Array(fields)
        guard f.count == 8, let head = Self.breakpoint(f[0..<4]), let tail = Self.breakpoint(f[4..<8]) else {
            return nil
        }
        self.head = head
        self.tail = tail
    }

    private static func breakpoint(_ f: ArraySlice<String>) -> Breakpoint? {
        let f = Array(f)
        guard let position = Int(f[2]), let strand = Strand(f[3][...]) else { return nil }
        return Breakpoint(gene: f[0], chromosome: f[1], position: position, strand: strand)
    }
}

/// A breakpoint pair's identity: both partners' chromosome, position and strand (genes aside: two
/// callers may name the same junction's genes differently).
public struct PairKey: Sendable, Hashable, Comparable {
    public let headChromosome: String
    public let headPosition: Int
    public let headStrand: Strand
    public let tailChromosome: String
    public let tailPosition: Int
    public let tailStrand: Strand

    public init(head: Breakpoint, tail: Breakpoint) {
        headChromosome = head.chromosome
        headPosition = head.position
        headStrand = head.strand
        tailChromosome = tail.chromosome
        tailPosition = tail.position
        tailStrand = tail.strand
    }

    /// `chr:pos:strand>chr:pos:strand`: the pair in one cell (a chunk's scores name their pairs so).
    public var label: String {
        "\(headChromosome):\(headPosition):\(headStrand.symbol)>\(tailChromosome):\(tailPosition):\(tailStrand.symbol)"
    }

    /// Pairs that may merge share this: both chromosomes and strands.
    var sides: [String] { [headChromosome, headStrand.symbol, tailChromosome, tailStrand.symbol] }

    /// Chromosomes and strands, then head and tail positions: the order of `cohort.tsv`.
    public static func < (a: PairKey, b: PairKey) -> Bool {
        if a.sides != b.sides { return a.sides.lexicographicallyPrecedes(b.sides) }
        if a.headPosition != b.headPosition { return a.headPosition < b.headPosition }
        return a.tailPosition < b.tailPosition
    }
}
