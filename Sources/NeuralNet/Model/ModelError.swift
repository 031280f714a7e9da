import Support

/// A model that cannot be built, loaded, saved or run as asked; the message says which layer or file and why.
public typealias ModelError = FileError<ModelErrorCode>

/// What went wrong, in categories a caller can branch on.
public enum ModelErrorCode: String, Sendable {
    /// The file is missing or cannot be read.
    case unreadable
    /// The file or its folder cannot be written.
    case unwritable
    /// The file is none of the formats fusionai reads, or lacks what the format needs.
    case unsupportedFormat
    /// The file is cut short or inconsistent.
    case corrupt
    /// A size in the file is beyond fusionai's limits.
    case tooLarge
    /// A layer class or setting fusionai does not implement.
    case unsupportedLayer
    /// The model's structure does not allow what was asked (a receptive-field shortcut, a
    /// FusionAI-style input, a single path from input to output).
    case unsupportedModel
    /// A weight the model needs is absent.
    case missingWeight
    /// Shapes disagree: a weight with its layer, a layer with its input.
    case shapeMismatch
    /// A training checkpoint from a run with other settings or data than the one resuming it.
    case checkpointMismatch
    /// A setting or argument out of range (a size that is not positive, an output index).
    case invalidArgument
}
