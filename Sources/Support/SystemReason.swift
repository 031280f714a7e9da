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
        return error.localizedDescription
    }
}
