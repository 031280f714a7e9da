import Support

/// A scan that cannot start: a gene not found or named ambiguously, a breakpoint range that does
/// not fit, or a gene with no breakpoint to try; the message says what to give instead.
public typealias ScanError = FileError<ScanErrorCode>

/// What went wrong, in categories a caller can branch on.
public enum ScanErrorCode: String, Sendable {
    /// A gene name matches no gene of the annotation.
    case unknownGene
    /// A gene name matches several genes; the message lists them.
    case ambiguousGene
    /// A breakpoint range is malformed, or lies off the gene's chromosome.
    case badRegion
    /// A gene has no exon boundary of the kind needed (single-exon transcripts only) and no range was given.
    case noSites
}
