import Genome

/// A genome sequence with one allele put in place of the reference bases: what the window rule
/// reads when a variant is applied. Coordinates are the edited sequence's own (bases after the
/// edit move by the allele's length change).
final class EditedSequence: SequenceReader {
    private let genome: SequenceReader
    /// The genome's name of the edited sequence; other sequences read through unchanged.
    private let name: String
    /// 0-based first REF base.
    private let start: Int
    private let referenceLength: Int
    private let alternate: [UInt8]

    init(_ genome: SequenceReader, name: String, start: Int, referenceLength: Int, alternate: [UInt8]) {
        self.genome = genome
        self.name = name
        self.start = start
        self.referenceLength = referenceLength
        self.alternate = alternate
    }

    /// Bases `[from, to)` of the edited sequence: genome bases before the edit, the allele, then the
    /// genome's bases after REF, shifted by the length change.
    func bases(_ name: String, from: Int, to: Int) throws -> [UInt8] {
        guard name == self.name else { return try genome.bases(name, from: from, to: to) }
        let alleleEnd = start + alternate.count
        var out: [UInt8] = []
        out.reserveCapacity(max(0, to - from))
        if from < start { out += try genome.bases(name, from: from, to: min(to, start)) }
        let a = max(from, start)
        let b = min(to, alleleEnd)
        if a < b { out += alternate[(a - start)..<(b - start)] }
        let shift = referenceLength - alternate.count
        let c = max(from, alleleEnd)
        if c < to { out += try genome.bases(name, from: c + shift, to: to + shift) }
        return out
    }
}
