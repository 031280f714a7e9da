import Support

/// A negative set that cannot be made: too few genes left to pair, or no pair made in the draws
/// allowed. The message names the annotation and says what to change.
public typealias NegativesError = FileError<NegativesErrorCode>

/// What went wrong, in categories a caller can branch on.
public enum NegativesErrorCode: String, Sendable {
    /// Fewer than two genes are left to pair once the filters have run.
    case tooFewGenes
    /// No pair passed the rules in the draws allowed.
    case noPairs
    /// A `--known` line that names no genes: a GTF, a BED or another table given by mistake.
    case notGeneList
}
