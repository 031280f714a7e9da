import Support

/// A step that cannot do its work with the inputs given; the message names the input and what to
/// give instead.
public struct StepError: CodedError, Equatable {
    public enum Code: String, Sendable {
        /// The model cannot do what the step asks (a k-mer model has no positions to explain).
        case unsupportedModel
        /// The input holds nothing the step can use.
        case nothingUsable
        /// Labels given beside the data no longer line up with its rows.
        case misalignedLabels
    }

    public let code: Code
    /// The input concerned.
    public let path: String
    public let message: String

    public init(_ code: Code, path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
