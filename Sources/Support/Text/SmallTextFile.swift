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
        // Read through the descriptor, not String(contentsOfFile:), which fails on a pipe (`--labels
        // <(cut -f9 data.tsv)`) with a false "Permission denied".
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw TextFileError(.unreadable, path: path, "cannot read the \(kind): \(SystemReason.last)")
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else {
                throw TextFileError(.unreadable, path: path, "cannot read the \(kind): \(SystemReason.last)")
            }
            if count == 0 { break }
            bytes += chunk[0..<count]
            guard bytes.count <= maximumBytes else {
                throw TextFileError(.tooLong, path: path, "holds more than the \(maximumBytes) bytes a \(kind) can")
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw TextFileError(.unreadable, path: path, "cannot read the \(kind): it is not UTF-8 text")
        }
        return text
    }
}
