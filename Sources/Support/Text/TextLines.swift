import CHTSlib
import Foundation

/// The lines of a text file, plain, gzip or bgzip (htslib's BGZF reader reads all three), or of
/// standard input (`-`), without their line ends: `\n`, `\r\n`, or `\r` alone when the first line
/// ends so (classic Mac; Excel for Mac's "CSV (Mac)" still writes it), and without a UTF-8
/// byte-order mark at the start. A NUL byte is an error naming
/// the line: the input is binary, not text. So is a line longer than ``maximumLineLength``, refused
/// as soon as it passes the limit so that memory stays bounded (a 1-GB line is not read whole).
public final class TextLines {
    /// The longest line read (64 MiB): a FusionAI data row is 20 kB, a GTF line rarely 10 kB.
    public static let defaultMaximumLineLength = 64 << 20
    public let maximumLineLength: Int
    public let path: String
    /// 1-based number of the line last read.
    public private(set) var lineNumber = 0
    private let file: UnsafeMutablePointer<BGZF>
    /// Bytes read and not yet returned as lines are `buffer[start..<end]`; `buffer[start..<scanned]`
    /// holds no line end. Lines are found with memchr: bgzf_getline looks at one byte at a time.
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity = 1 << 17
    private var start = 0
    private var end = 0
    private var scanned = 0
    private var ended = false
    /// The line end byte: `\n`, or `\r` in a file whose first line ends with `\r` alone; nil until
    /// the first line end is read.
    private var separator: UInt8?
    /// The file's size on disk (nil for standard input and pipes), for progress.
    private var size: Int?
    /// What the file should be, for messages ("GTF annotation", "BED file").
    private let kind: String

    /// - Parameters:
    ///   - kind: what the file should be, for messages ("GTF annotation", "BED file").
    ///   - maximumLineLength: longer lines are an error (`tooLong`).
    /// - Throws: ``TextFileError`` when the file is missing, a folder, or cannot be opened.
    public init(path: String, kind: String, maximumLineLength: Int = TextLines.defaultMaximumLineLength) throws {
        self.path = path
        self.kind = kind
        self.maximumLineLength = maximumLineLength
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
        guard !BGZFEnd.isMissing(in: file) else {
            bgzf_close(file)
            throw TextFileError(.corrupt, path: path, BGZFEnd.missing)
        }
        self.file = file
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        buffer.deallocate()
        bgzf_close(file)
    }

    /// How far through the file reading is, 0...1 (nil for standard input and pipes).
    public var fractionRead: Double? {
        // BGZF's block address is the file offset of the current block, compressed or not.
        guard let size else { return nil }
        return min(1, Double(file.pointee.block_address) / Double(size))
    }

    /// The next line's bytes (valid until the next call), or nil at the end.
    /// - Throws: ``TextFileError`` on a read error, a NUL byte (binary input) or a line longer than
    ///   ``maximumLineLength``.
    public func next() throws -> UnsafeBufferPointer<CChar>? {
        var lineEnd: Int
        while true {
            if separator == nil { separator = firstLineEnd() }
            if let separator, let found = memchr(buffer + scanned, Int32(separator), end - scanned) {
                lineEnd = found.assumingMemoryBound(to: UInt8.self) - buffer
                try checkLength(lineEnd - start)
                break
            }
            // Undecided, ``firstLineEnd()`` has moved `scanned` as far as it could.
            if separator != nil { scanned = end }
            try checkLength(end - start)
            if ended {
                guard end > start else { return nil }
                lineEnd = end
                break
            }
            try readMore()
        }
        lineNumber += 1
        var s = buffer + start
        var count = lineEnd - start
        start = min(end, lineEnd + 1)
        scanned = start
        // A UTF-8 byte-order mark (Windows editors, Excel's "CSV UTF-8") is not part of the first line.
        if lineNumber == 1, count >= 3, s[0] == 0xEF, s[1] == 0xBB, s[2] == 0xBF {
            s += 3
            count -= 3
        }
        // bgzf_getline dropped one `\r` before a line end, and this reader then another one.
        if count > 0, s[count - 1] == 13 { count -= 1 }
        if count > 0, s[count - 1] == 13 { count -= 1 }
        // memchr keeps the scan cheap even in debug builds.
        if count > 0, memchr(s, 0, count) != nil {
            throw TextFileError(
                .binary, path: path, line: lineNumber, "holds binary data (a NUL byte): expected a \(kind)")
        }
        return UnsafeRawPointer(s).withMemoryRebound(to: CChar.self, capacity: count) {
            UnsafeBufferPointer(start: $0, count: count)
        }
    }

    /// The file's line end, from the bytes read so far: `\n` when the first `\n` comes before any
    /// `\r` or right after one, `\r` when a `\r` is followed by anything else; nil when it cannot
    /// be told yet.
    /// Only bytes after `scanned` are looked at, and `scanned` is moved past those that hold neither
    /// (each byte is looked at once: a rescan from the line's start made an endless line quadratic).
    private func firstLineEnd() -> UInt8? {
        let count = end - scanned
        let newline = memchr(buffer + scanned, 10, count).map { $0.assumingMemoryBound(to: UInt8.self) - buffer }
        let carriage = memchr(buffer + scanned, 13, count).map { $0.assumingMemoryBound(to: UInt8.self) - buffer }
        switch (newline, carriage) {
        case (let n?, let r?) where n < r: return 10
        case (_, let r?):
            guard r + 1 < end else {
                scanned = r  // the byte after it is not read yet
                return ended ? 13 : nil
            }
            return buffer[r + 1] == 10 ? 10 : 13
        case (.some, nil): return 10
        case (nil, nil):
            scanned = end
            return ended ? 10 : nil
        }
    }

    private func checkLength(_ length: Int) throws {
        guard length > maximumLineLength else { return }
        throw TextFileError(
            .tooLong, path: path, line: lineNumber + 1,
            "has a line longer than \(maximumLineLength) bytes: not a \(kind) (or a line end is missing)")
    }

    /// Reads on into the buffer: the rest of the current BGZF block, or the first byte of the next one.
    /// No more than the current block is asked for, so that a corrupt later block is an error only once
    /// a line needs its bytes (bgzf_read drops every byte of a read that fails), on the same line as
    /// bgzf_getline would report it.
    private func readMore() throws {
        if start > 0 {
            memmove(buffer, buffer + start, end - start)
            end -= start
            scanned -= start
            start = 0
        }
        let available = max(1, Int(file.pointee.block_length) - Int(file.pointee.block_offset))
        if capacity - end < available {
            capacity = max(2 * capacity, end + available)
            let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            larger.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = larger
        }
        let n = bgzf_read(file, buffer + end, available)
        guard n >= 0 else {
            lineNumber += 1
            throw TextFileError(
                .corrupt, path: path, line: lineNumber, "read error (truncated or corrupt compressed file?)")
        }
        if n == 0 { ended = true }
        end += n
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
    /// A line longer than ``TextLines/maximumLineLength``, or a file read whole larger than allowed.
    case tooLong
}
