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

extension GenomeError {
    /// The C library's words for the last failed call (`errno`), for messages.
    static var systemReason: String { String(cString: strerror(errno)) }

    /// Why a file call failed, in the system's words ("Not a directory") where Foundation keeps
    /// them, so a message says what to fix instead of "could not be completed".
    static func reason(of error: Error) -> String {
        if let error = error as? GenomeError { return error.message }
        let error = error as NSError
        if error.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(error.code))) }
        // Bridged through `Error`: on Linux the underlying error is not stored as an NSError.
        if let underlying = (error.userInfo[NSUnderlyingErrorKey] as? Error).map({ $0 as NSError }),
            underlying.domain == NSPOSIXErrorDomain
        {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return error.localizedDescription
    }
}
