import CHTSlib
import Foundation

/// The lines of a text file, plain, gzip or bgzip (htslib's BGZF reader reads all three), without
/// their line ends; a NUL byte is an error naming the line (binary input).
final class TextLines {
    let path: String
    /// 1-based number of the line last read.
    private(set) var lineNumber = 0
    private let file: UnsafeMutablePointer<BGZF>
    private var buffer = kstring_t(l: 0, m: 0, s: nil)

    /// - Parameter kind: what the file should be, for messages ("GTF annotation", "BED file").
    init(path: String, kind: String) throws {
        self.path = path
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw GenomeError(.notFound, path: path, "cannot open the \(kind): \(String(cString: strerror(errno)))")
        }
        guard (st.st_mode & S_IFMT) != S_IFDIR else {
            throw GenomeError(.unreadable, path: path, "is a folder, not a \(kind)")
        }
        guard let file = bgzf_open(path, "r") else {
            throw GenomeError(.unreadable, path: path, "cannot open the \(kind): \(String(cString: strerror(errno)))")
        }
        self.file = file
    }

    deinit {
        fusionai_ks_free(&buffer)
        bgzf_close(file)
    }

    /// The next line's bytes (valid until the next call), or nil at the end.
    func next() throws -> UnsafeBufferPointer<CChar>? {
        let n = bgzf_getline(file, Int32(UInt8(ascii: "\n")), &buffer)
        if n == -1 { return nil }
        lineNumber += 1
        guard n >= 0, let s = buffer.s else {
            throw GenomeError(
                .corrupt, path: path, line: lineNumber, "read error (truncated or corrupt compressed file?)")
        }
        var count = Int(buffer.l)
        if count > 0, s[count - 1] == 13 { count -= 1 }
        // memchr keeps the scan cheap even in debug builds.
        if count > 0, memchr(s, 0, count) != nil {
            throw GenomeError(
                .corrupt, path: path, line: lineNumber, "holds binary data (a NUL byte): expected a text file")
        }
        return UnsafeBufferPointer(start: s, count: count)
    }
}
