import Foundation
import Support

/// An error opening or reading a reference genome or annotation; its message names the file and says what to do.
public struct GenomeError: CodedError, Equatable {
    /// What went wrong, in categories a caller can branch on.
    public enum Code: String, Sendable {
        case notFound, unreadable, unsupportedFormat, indexUnavailable, corrupt, unknownChromosome, outOfRange
    }

    public let code: Code
    /// The file concerned (genome, index or annotation).
    public let path: String
    /// A 1-based line of `path`, when the problem is on one line.
    public let line: Int?
    /// What happened and how to fix it.
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
