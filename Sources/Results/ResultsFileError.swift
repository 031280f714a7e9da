import Support

/// An output of an earlier step that a later one cannot use; the message names the file (and
/// line) and which step writes it.
public struct ResultsFileError: CodedError, Equatable {
    public enum Code: String, Sendable {
        /// The file is missing or is not text.
        case unreadable
        /// The header lacks a column the reader needs: not the file that step writes.
        case missingColumn
        /// A row without the fields or values the reader needs.
        case malformedRow
        /// A folder a step wrote cannot be listed.
        case notAFolder
    }

    public let code: Code
    public let path: String
    /// A 1-based line of `path`, when the problem is on one line.
    public let line: Int?
    public let message: String

    public init(_ code: Code, path: String, line: Int? = nil, _ message: String) {
        self.code = code
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(path):\(line): \(message)" }
        return "\(path): \(message)"
    }
}
