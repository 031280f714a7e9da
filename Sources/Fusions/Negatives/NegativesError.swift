import Support

/// A negative set that cannot be made: too few genes left to pair, or no pair made in the draws
/// allowed. The message names the annotation and says what to change.
public struct NegativesError: CodedError, Equatable {
    /// What went wrong, in categories a caller can branch on.
    public enum Code: String, Sendable {
        /// Fewer than two genes are left to pair once the filters have run.
        case tooFewGenes
        /// No pair passed the rules in the draws allowed.
        case noPairs
    }

    public let code: Code
    /// The file concerned (the annotation), when there is one.
    public let path: String?
    /// What happened and how to fix it.
    public let message: String

    public init(_ code: Code, path: String? = nil, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String {
        guard let path else { return message }
        return "\(path): \(message)"
    }
}
