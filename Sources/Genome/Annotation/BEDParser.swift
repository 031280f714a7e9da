import Foundation

/// Collects BED lines into intervals per chromosome key straight from their bytes: genome-wide
/// tracks have millions of lines, and a string per line and field was most of the reading time.
/// BED is 0-based and half-open: `chrom start end` holds the 1-based positions `start + 1 ... end`.
struct BEDParser {
    /// Per chromosome key, in file order (not yet merged).
    private var intervals: [String: [ClosedRange<Int>]] = [:]
    /// Lines with intervals read (empty intervals included).
    private(set) var count = 0
    // The run of lines on one chromosome being read; sorted files change chromosome rarely.
    private var name: [CChar] = []
    private var key = ""
    private var run: [ClosedRange<Int>] = []

    /// Adds one line; `track`, `browser`, `#` and blank lines are skipped, columns after the third
    /// ignored.
    /// - Throws: ``GenomeError`` naming `path`, and `line` or `context` (where in the file), for a
    ///   line without chromosome, start and end, or with end < start, or past 2^40.
    mutating func add(_ bytes: UnsafeBufferPointer<CChar>, path: String, line: Int?, context: String? = nil) throws {
        guard let base = bytes.baseAddress, let first = bytes.firstIndex(where: { $0 != 32 && $0 != 9 }) else { return }
        if bytes[first] == 35 || Self.starts(bytes, with: "track") || Self.starts(bytes, with: "browser") { return }
        guard let tab1 = bytes.firstIndex(of: 9), tab1 > 0,
            let tab2 = bytes[(tab1 + 1)...].firstIndex(of: 9),
            let start = Self.number(bytes, (tab1 + 1)..<tab2),
            let end = Self.number(bytes, (tab2 + 1)..<(bytes[(tab2 + 1)...].firstIndex(of: 9) ?? bytes.count)),
            end >= start
        else {
            throw GenomeError(
                .corrupt, path: path, line: line,
                "\(context.map { "in \($0): " } ?? "")not a BED line: expected tab-separated chrom, start "
                    + "(0-based) and end, with 2^40 >= end >= start >= 0"
            )
        }
        count += 1
        if tab1 != name.count || memcmp(base, name, tab1) != 0 {
            flush()
            name = Array(bytes[0..<tab1])
            key = ChromosomeNames.key(
                String(decoding: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[0..<tab1])), as: UTF8.self),
                length: nil)
        }
        if end > start { run.append((start + 1)...end) }
    }

    /// The intervals read, per chromosome key, in file order.
    mutating func finish() -> [String: [ClosedRange<Int>]] {
        flush()
        return intervals
    }

    private mutating func flush() {
        if !run.isEmpty { intervals[key, default: []] += run }
        run.removeAll(keepingCapacity: true)
    }

    /// A whole number of digits only, at most 2^40.
    private static func number(_ bytes: UnsafeBufferPointer<CChar>, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count <= 13 else { return nil }
        var value = 0
        for i in range {
            let digit = Int(bytes[i]) - 48
            guard (0...9).contains(digit) else { return nil }
            value = value * 10 + digit
        }
        return value <= ChromosomeInfo.largestPosition ? value : nil
    }

    private static func starts(_ bytes: UnsafeBufferPointer<CChar>, with prefix: StaticString) -> Bool {
        prefix.utf8CodeUnitCount <= bytes.count
            && memcmp(bytes.baseAddress!, prefix.utf8Start, prefix.utf8CodeUnitCount) == 0
    }
}
