import CHTSlib
import Foundation

/// Reads a GTF's lines (plain, gzip or bgzip, through htslib's BGZF reader, which reads all three),
/// handing back only the lines of the features asked for: the rest are skipped without decoding.
final class GTFReader {
    let path: String
    /// 1-based number of the line last read.
    private(set) var lineNumber = 0
    private let file: UnsafeMutablePointer<BGZF>
    private var buffer = kstring_t(l: 0, m: 0, s: nil)

    init(path: String) throws {
        self.path = path
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw GenomeError(.notFound, path: path, "cannot open the annotation: \(String(cString: strerror(errno)))")
        }
        guard (st.st_mode & S_IFMT) != S_IFDIR else {
            throw GenomeError(.unreadable, path: path, "is a folder, not a GTF annotation file")
        }
        guard let file = bgzf_open(path, "r") else {
            throw GenomeError(.unreadable, path: path, "cannot open the annotation: \(String(cString: strerror(errno)))")
        }
        self.file = file
    }

    deinit {
        fusionai_ks_free(&buffer)
        bgzf_close(file)
    }

    /// The next line whose feature (column 3) is one of `features`, or nil at the end of the file.
    /// Comment (`#`), blank, `track` and `browser` lines are skipped.
    /// - Throws: ``GenomeError`` on a read error, binary data, or a line too short to have a feature.
    func next(features: Set<GTFLine.Feature>) throws -> GTFLine? {
        while true {
            let n = bgzf_getline(file, Int32(UInt8(ascii: "\n")), &buffer)
            if n == -1 { return nil }
            lineNumber += 1
            guard n >= 0, let s = buffer.s else {
                throw GenomeError(.corrupt, path: path, line: lineNumber, "read error (truncated or corrupt compressed file?)")
            }
            var count = Int(buffer.l)
            if count > 0, s[count - 1] == 13 { count -= 1 }
            if count == 0 || s[0] == 35 { continue }  // `#`
            // memchr keeps the scan of the (mostly skipped) lines cheap even in debug builds.
            if memchr(s, 0, count) != nil {
                throw GenomeError(.corrupt, path: path, line: lineNumber, "holds binary data (a NUL byte): expected a GTF text file")
            }
            // Column 3 (feature) lies between the second and third tabs.
            var tabs: [Int] = []
            var from = 0
            while tabs.count < 3, from < count, let tab = memchr(s + from, 9, count - from) {
                let at = UnsafeRawPointer(tab) - UnsafeRawPointer(s)
                tabs.append(at)
                from = at + 1
            }
            guard tabs.count >= 2 else {
                let bytes = UnsafeRawBufferPointer(start: s, count: count)
                if bytes.allSatisfy({ $0 == 32 || $0 == 9 }) || bytes.starts(with: "track".utf8) || bytes.starts(with: "browser".utf8) { continue }
                throw GenomeError(
                    .corrupt, path: path, line: lineNumber,
                    "has \(tabs.count + 1) tab-separated column(s); a GTF line has 9 (seqname source feature start end score strand frame attributes)")
            }
            let featureStart = tabs[1] + 1, featureLength = (tabs.count > 2 ? tabs[2] : count) - featureStart
            guard let feature = features.first(where: { feature in
                feature.rawValue.utf8.count == featureLength
                    && feature.rawValue.withCString { memcmp(s + featureStart, $0, featureLength) == 0 }
            }) else { continue }
            let bytes = UnsafeRawBufferPointer(start: s, count: count)
            return try GTFLine(feature: feature, text: String(decoding: bytes, as: UTF8.self), line: lineNumber, path: path)
        }
    }
}
