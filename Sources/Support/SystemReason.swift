import Foundation

/// Why a system or Foundation file call failed, in the system's words ("Not a directory"), so a
/// message says what to fix instead of "The operation could not be completed".
public enum SystemReason {
    /// The C library's words for the last failed call (`errno`).
    public static var last: String { String(cString: strerror(errno)) }

    /// The words for `error`: a ``CodedError``'s message, a POSIX error's text (also when
    /// Foundation wraps it), else Foundation's description.
    public static func of(_ error: Error) -> String {
        if let error = error as? any CodedError { return error.message }
        let error = error as NSError
        if error.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(error.code))) }
        // Bridged through `Error`: on Linux the underlying error is not stored as an NSError.
        if let underlying = (error.userInfo[NSUnderlyingErrorKey] as? Error).map({ $0 as NSError }),
            underlying.domain == NSPOSIXErrorDomain
        {
            return String(cString: strerror(Int32(underlying.code)))
        }
        switch error.code {
        case CocoaError.fileWriteFileExists.rawValue: return "a file of that name is in the way"
        case CocoaError.fileWriteVolumeReadOnly.rawValue: return "Read-only file system"
        case CocoaError.fileWriteNoPermission.rawValue, CocoaError.fileReadNoPermission.rawValue:
            return "Permission denied"
        case CocoaError.fileNoSuchFile.rawValue, CocoaError.fileReadNoSuchFile.rawValue:
            return "No such file or directory"
        default: return error.localizedDescription
        }
    }

    /// One line for an error no step turned into its own: a ``CodedError`` as it describes itself,
    /// a Foundation file error as `PATH: reason` (not `Error Domain=NSCocoaErrorDomain Code=516 ...`).
    public static func line(for error: Error) -> String {
        if error is any CodedError { return "\(error)" }
        let ns = error as NSError
        guard ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain else { return "\(error)" }
        let path = (ns.userInfo[NSFilePathErrorKey] as? String) ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path
        return (path.map { $0 + ": " } ?? "") + of(error)
    }
}
