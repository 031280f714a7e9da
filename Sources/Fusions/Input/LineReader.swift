import CHTSlib
import Foundation

/// Reads lines from a plain or gzip/bgzip-compressed file, or standard input (`-`), through htslib.
/// Line ends (`\n` or `\r\n`) are removed.
final class LineReader {
    let path: String
    /// 1-based number of the line last returned.
    private(set) var lineNumber = 0
    private let file: UnsafeMutablePointer<BGZF>
    private var buffer = kstring_t(l: 0, m: 0, s: nil)
    /// The file's size on disk (nil for standard input), for progress.
    private var size: Int?

    init(path: String) throws {
        self.path = path
        if path != "-" {
            var st = stat()
            guard stat(path, &st) == 0 else {
                throw FusionInputError(path: path, "cannot open: \(String(cString: strerror(errno)))")
            }
            guard (st.st_mode & S_IFMT) != S_IFDIR else {
                throw FusionInputError(path: path, "is a folder, not a file of fusion calls")
            }
            if (st.st_mode & S_IFMT) == S_IFREG, st.st_size > 0 { size = Int(st.st_size) }
        }
        guard let file = bgzf_open(path, "r") else {
            throw FusionInputError(path: path, "cannot open: \(String(cString: strerror(errno)))")
        }
        self.file = file
    }

    deinit {
        fusionai_ks_free(&buffer)
        bgzf_close(file)
    }

    /// How far through the file reading is, 0...1 (nil for standard input and pipes).
    var fractionRead: Double? {
        // BGZF's block address is the file offset of the current block, compressed or not.
        guard let size else { return nil }
        return min(1, Double(file.pointee.block_address) / Double(size))
    }

    /// The next line's bytes without its line end, or nil at the end of the input.
    /// - Throws: ``FusionInputError`` on a read error or a NUL byte (binary input).
    func next() throws -> [UInt8]? {
        let n = bgzf_getline(file, Int32(UInt8(ascii: "\n")), &buffer)
        if n == -1 { return nil }
        lineNumber += 1
        guard n >= 0, let s = buffer.s else {
            throw FusionInputError(path: path, line: lineNumber, "read error (truncated or corrupt compressed file?)")
        }
        var count = Int(buffer.l)
        if count > 0, s[count - 1] == 13 { count -= 1 }
        let bytes = UnsafeRawBufferPointer(start: s, count: count)
        guard !bytes.contains(0) else {
            throw FusionInputError(
                path: path, line: lineNumber, "holds binary data (a NUL byte): expected a text table of fusion calls")
        }
        return [UInt8](bytes)
    }
}
