import CHTSlib
import Foundation
import Support

/// Reads a GTF's lines (plain, gzip or bgzip, through htslib's BGZF reader, which reads all three),
/// handing back only the lines of the features asked for: the rest are skipped without decoding.
final class GTFReader {
    private let lines: TextLines
    var path: String { lines.path }
    /// 1-based number of the line last read.
    var lineNumber: Int { lines.lineNumber }

    init(path: String) throws {
        lines = try TextLines(path: path, kind: "GTF annotation")
    }

    /// The next line whose feature (column 3) is one of `features`, or nil at the end of the file.
    /// Comment (`#`), blank, `track` and `browser` lines are skipped.
    /// - Throws: ``GenomeError`` on a read error, binary data, or a line too short to have a feature.
    func next(features: Set<GTFLine.Feature>) throws -> GTFLine? {
        while let line = try lines.next() {
            guard let s = line.baseAddress else { continue }
            let count = line.count
            if count == 0 || s[0] == 35 { continue }  // `#`
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
                if bytes.allSatisfy({ $0 == 32 || $0 == 9 }) || bytes.starts(with: "track".utf8)
                    || bytes.starts(with: "browser".utf8)
                {
                    continue
                }
                throw GenomeError(
                    .corrupt, path: path, line: lineNumber,
                    "has \(tabs.count + 1) tab-separated column(s); a GTF line has 9 (seqname source feature start "
                        + "end score strand frame attributes)"
                )
            }
            let featureStart = tabs[1] + 1
            let featureLength = (tabs.count > 2 ? tabs[2] : count) - featureStart
            guard
                let feature = features.first(where: { feature in
                    feature.rawValue.utf8.count == featureLength
                        && feature.rawValue.withCString { memcmp(s + featureStart, $0, featureLength) == 0 }
                })
            else { continue }
            let bytes = UnsafeRawBufferPointer(start: s, count: count)
            return try GTFLine(
                feature: feature, text: String(decoding: bytes, as: UTF8.self), line: lineNumber, path: path)
        }
        return nil
    }
}
