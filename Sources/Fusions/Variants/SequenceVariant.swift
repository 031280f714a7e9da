/// One alternate allele of a VCF record, the unit `fusionai variants` scores: a multi-allelic
/// record is one variant per ALT.
public struct SequenceVariant: Sendable, Hashable {
    /// What the allele does to the sequence.
    public enum Kind: String, Sendable {
        case snv, mnv, insertion, deletion
        /// REF and ALT differ in length and in more than an anchor base (`AC>TGG`).
        case complex
    }

    public let record: VCFRecord
    /// The alternate allele, uppercased.
    public let alternate: String

    public init(record: VCFRecord, alternate: String) {
        self.record = record
        self.alternate = alternate.uppercased()
    }

    /// Uppercased REF.
    public var reference: String { record.reference.uppercased() }

    /// `CHROM:POS:REF>ALT`, the chromosome as the VCF names it.
    public var label: String {
        "\(record.chromosome):\(record.position):\(record.reference)>\(record.alternateLabel(alternate))"
    }

    /// Whether the allele changes the sequence's length (its windows then shift; see ``VariantWindows``).
    public var isIndel: Bool { reference.utf8.count != alternate.utf8.count }

    public var kind: Kind {
        let r = reference.utf8.count
        let a = alternate.utf8.count
        if r == a { return r == 1 ? .snv : .mnv }
        let anchored = reference.utf8.first == alternate.utf8.first
        if anchored, r == 1 { return .insertion }
        if anchored, a == 1 { return .deletion }
        return .complex
    }

    /// Why the allele cannot be applied to a sequence, judged from its letters alone; nil when it can.
    public var unusable: VariantSkip.Reason? {
        if alternate == "." || alternate == "*" { return .noAllele }
        if alternate.contains(where: { "<>[].".contains($0) }) { return .symbolicAllele }
        let bases: Set<Character> = ["A", "C", "G", "T", "N"]
        guard !reference.isEmpty, !alternate.isEmpty, reference.allSatisfy(bases.contains),
            alternate.allSatisfy(bases.contains)
        else { return .invalidAllele }
        return alternate == reference ? .sameAsReference : nil
    }
}

extension VCFRecord {
    /// An alternate allele as the record writes it (case kept).
    fileprivate func alternateLabel(_ upper: String) -> String {
        alternates.first { $0.uppercased() == upper } ?? upper
    }
}
