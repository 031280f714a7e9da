import CHTSlib
import Foundation

/// The lines of a text file, plain, gzip or bgzip (htslib's BGZF reader reads all three), or of
/// standard input (`-`), without their line ends (`\n` or `\r\n`). A NUL byte is an error naming
/// the line: the input is binary, not text.
public final class TextLines {
    public let path: String
    /// 1-based number of the line last read.
    public private(set) var lineNumber = 0
    private let file: UnsafeMutablePointer<BGZF>
    private var buffer = kstring_t(l: 0, m: 0, s: nil)
    /// The file's size on disk (nil for standard input and pipes), for progress.
    private var size: Int?
    /// What the file should be, for messages ("GTF annotation", "BED file").
    private let kind: String

    /// - Parameter kind: what the file should be, for messages ("GTF annotation", "BED file").
    /// - Throws: ``TextFileError`` when the file is missing, a folder, or cannot be opened.
    public init(path: String, kind: String) throws {
        self.path = path
        self.kind = kind
        if path != "-" {
            var st = stat()
            guard stat(path, &st) == 0 else {
                throw TextFileError(.notFound, path: path, "cannot open the \(kind): \(Self.systemError())")
            }
            guard (st.st_mode & S_IFMT) != S_IFDIR else {
                throw TextFileError(.unreadable, path: path, "is a folder, not a \(kind)")
            }
            if (st.st_mode & S_IFMT) == S_IFREG, st.st_size > 0 { size = Int(st.st_size) }
        }
        guard let file = bgzf_open(path, "r") else {
            throw TextFileError(.unreadable, path: path, "cannot open the \(kind): \(Self.systemError())")
        }
        self.file = file
    }

    deinit {
        fusionai_ks_free(&buffer)
        bgzf_close(file)
    }

    /// How far through the file reading is, 0...1 (nil for standard input and pipes).
    public var fractionRead: Double? {
        // BGZF's block address is the file offset of the current block, compressed or not.
        guard let size else { return nil }
        return min(1, Double(file.pointee.block_address) / Double(size))
    }

    /// The next line's bytes (valid until the next call), or nil at the end.
    /// - Throws: ``TextFileError`` on a read error or a NUL byte (binary input).
    public func next() throws -> UnsafeBufferPointer<CChar>? {
        let n = bgzf_getline(file, Int32(UInt8(ascii: "\n")), &buffer)
        if n == -1 { return nil }
        lineNumber += 1
        guard n >= 0, let s = buffer.s else {
            throw TextFileError(
                .corrupt, path: path, line: lineNumber, "read error (truncated or corrupt compressed file?)")
        }
        var count = Int(buffer.l)
        if count > 0, s[count - 1] == 13 { count -= 1 }
        // memchr keeps the scan cheap even in debug builds.
        if count > 0, memchr(s, 0, count) != nil {
            throw TextFileError(
                .binary, path: path, line: lineNumber, "holds binary data (a NUL byte): expected a \(kind)")
        }
        return UnsafeBufferPointer(start: s, count: count)
    }

    /// The next line's bytes as an array of their own, or nil at the end.
    public func nextBytes() throws -> [UInt8]? {
        try next().map { line in line.withMemoryRebound(to: UInt8.self) { [UInt8]($0) } }
    }

    private static func systemError() -> String { String(cString: strerror(errno)) }
}

/// A text input that cannot be read; the message names the file, the line and what was expected.
public typealias TextFileError = FileError<TextFileErrorCode>

/// What went wrong, in categories a caller can branch on.
public enum TextFileErrorCode: String, Sendable {
    case notFound, unreadable, corrupt, binary
}
