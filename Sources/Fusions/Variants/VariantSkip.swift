import Support

/// A variant inside a fusion's window that is not scored, and why; batch runs count these by
/// ``Reason`` and list them with `--skipped`.
public struct VariantSkip: CodedError, Equatable {
    /// Why a variant was set aside; its raw value is what summaries and the skipped file print.
    public enum Reason: String, Sendable, CaseIterable, Comparable {
        /// `<DEL>`, `<INS:ME>`, breakends: no sequence to apply.
        case symbolicAllele = "symbolic allele"
        /// `.` (no ALT) or `*` (an allele deleted by an overlapping record).
        case noAllele = "no alternate allele"
        /// REF or ALT with letters other than A, C, G, T, N.
        case invalidAllele = "allele not ACGTN"
        /// ALT is REF (a multi-allelic record listing the reference among its alleles): no change.
        case sameAsReference = "ALT equals REF"
        /// REF is not the genome's sequence there: another build, or a wrong VCF.
        case referenceMismatch = "REF differs from the genome"
        /// REF runs past the chromosome's end.
        case pastChromosomeEnd = "REF past the chromosome end"
        /// An indel that deletes or replaces the breakpoint base: which side of the junction it
        /// falls on is undefined.
        case indelAtBreakpoint = "indel at the breakpoint"
        /// The model reads only the central part of each window, and the variant leaves that part as
        /// it was: its ΔP would be exactly 0 without the variant having been tested.
        case outsideModelInput = "outside the model's input"

        public static func < (a: Reason, b: Reason) -> Bool { a.rawValue < b.rawValue }
    }

    public let reason: Reason
    /// What exactly is wrong, and the fix where there is one.
    public let detail: String

    public var code: Reason { reason }
    public var message: String { detail }

    public init(_ reason: Reason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }

    public var description: String { "\(reason.rawValue): \(detail)" }
}
