import Support

/// A step that cannot do its work with the inputs given; the message names the input and what to
/// give instead.
public typealias StepError = FileError<StepErrorCode>

/// What went wrong, in categories a caller can branch on.
public enum StepErrorCode: String, Sendable {
    /// The model cannot do what the step asks (a k-mer model has no positions to explain).
    case unsupportedModel
    /// The input holds nothing the step can use.
    case nothingUsable
    /// Labels given beside the data no longer line up with its rows.
    case misalignedLabels
    /// The model gives NaN or infinite scores (damaged or diverged weights).
    case nonFiniteScores
    /// Validation or test data that is the training data (the same file under any name).
    case sameAsTraining
    /// More work than the step takes on in one run (a scan of more breakpoint pairs than it scores).
    case tooLarge
}
