/// One VCF/BCF record, as far as applying its alleles needs: where it is and what it changes.
public struct VCFRecord: Sendable, Hashable {
    /// The chromosome as the file names it.
    public let chromosome: String
    /// 1-based position of the first REF base.
    public let position: Int
    public let reference: String
    /// The alternate alleles, as written (`<DEL>`, `*` and breakends included).
    public let alternates: [String]
    /// 1-based count of the records read so far (header lines not counted): the record's number in
    /// the file when it is read whole, for messages.
    public let number: Int

    public init(chromosome: String, position: Int, reference: String, alternates: [String], number: Int) {
        self.chromosome = chromosome
        self.position = position
        self.reference = reference
        self.alternates = alternates
        self.number = number
    }

    /// The 1-based genome span of REF.
    public var span: ClosedRange<Int> { position...(position + max(1, reference.utf8.count) - 1) }

    /// What tells two records apart when the file is read again (`--vcf-out`): chromosome,
    /// position and alleles.
    public var key: String { "\(chromosome)\t\(position)\t\(reference)\t\(alternates.joined(separator: ","))" }
}
