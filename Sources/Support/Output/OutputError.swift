/// An output that cannot be written; the message names the file and the cause.
public typealias OutputError = FileError<OutputErrorCode>

/// What went wrong, in categories a caller can branch on.
public enum OutputErrorCode: String, Sendable {
    /// The path names a folder, or the folder it should go in is missing.
    case badPath
    /// The file or its temporary cannot be created, written, synced, closed or moved into place.
    case writeFailed
    /// An interrupted run's partial output is in the way, or its checkpoint does not fit this run.
    case resumeConflict
    /// Another process is writing the same output (``OutputLock``).
    case locked
}
