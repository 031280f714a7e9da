/// An output that cannot be written; the message names the file and the cause.
public struct OutputError: CodedError {
    public enum Code: String, Sendable {
        /// The path names a folder, or the folder it should go in is missing.
        case badPath
        /// The file or its temporary cannot be created, written, synced, closed or moved into place.
        case writeFailed
        /// An interrupted run's partial output is in the way, or its checkpoint does not fit this run.
        case resumeConflict
    }

    public let code: Code
    public let path: String
    public let message: String

    public init(_ code: Code, path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
