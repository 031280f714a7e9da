import Foundation

/// A text file read whole: one small enough that reading it line by line would gain nothing (a
/// manifest, an index). Its size is checked first, so a damaged or hostile file cannot make the
/// reader take gigabytes.
public enum SmallTextFile {
    /// The text of `path`, refused with `tooLong` when the file is over `maximumBytes`.
    /// - Parameter kind: what the file should be, for messages ("faidx index").
    /// - Throws: ``TextFileError`` when the file is missing, too large, or not UTF-8 text.
    public static func read(_ path: String, kind: String, maximumBytes: Int) throws -> String {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw TextFileError(.notFound, path: path, "cannot open the \(kind): \(SystemReason.last)")
        }
        guard Int(st.st_size) <= maximumBytes else {
            throw TextFileError(
                .tooLong, path: path, "is \(st.st_size) bytes, more than the \(maximumBytes) a \(kind) can be")
        }
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw TextFileError(.unreadable, path: path, "cannot read the \(kind): \(SystemReason.of(error))")
        }
    }
}
