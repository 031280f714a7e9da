import Foundation

/// Collects BED lines into intervals per chromosome key straight from their bytes: genome-wide
/// tracks have millions of lines, and a string per line and field was most of the reading time.
/// BED is 0-based and half-open: `chrom start end` holds the 1-based positions `start + 1 ... end`.
/// Intervals are merged as they are read, so memory follows the separate intervals kept, not the
/// lines; past ``maximumIntervals`` of them reading stops with an error (a BED with 10^8 intervals
/// would take gigabytes whole; tabix lets a reader take only the regions it needs).
struct BEDParser {
    /// 2^24 intervals (256 MiB): RepeatMasker's 5.6 million fit, a per-base track does not.
    static let defaultMaximumIntervals = 1 << 24
    /// Intervals read and not yet merged before they are: each merge sorts them and walks the
    /// intervals kept, so it is done once per so many lines, not at each change of chromosome.
    private static let pending = 1 << 20
    let maximumIntervals: Int
    /// Per chromosome key, sorted, disjoint, adjacent intervals joined.
    private var intervals: [String: [ClosedRange<Int>]] = [:]
    /// The separate intervals in `intervals`.
    private var kept = 0
    /// Lines with intervals read (empty intervals included).
    private(set) var count = 0
    /// Per chromosome key, intervals read and not yet merged into `intervals`.
    private var unmerged: [String: [ClosedRange<Int>]] = [:]
    private var unmergedCount = 0
    // The run of lines on one chromosome being read; sorted files change chromosome rarely.
    private var name: [CChar] = []
    private var key = ""
    private var run: [ClosedRange<Int>] = []

    init(maximumIntervals: Int = BEDParser.defaultMaximumIntervals) {
        self.maximumIntervals = maximumIntervals
    }

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
        if unmergedCount + run.count >= Self.pending { try merge(path: path, line: line) }
        if tab1 != name.count || memcmp(base, name, tab1) != 0 {
            stashRun()
            name = Array(bytes[0..<tab1])
            key = ChromosomeNames.key(
                String(decoding: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[0..<tab1])), as: UTF8.self),
                length: nil)
        }
        if end > start { run.append((start + 1)...end) }
    }

    /// The intervals read, per chromosome key: sorted, disjoint, adjacent ones joined.
    /// - Parameter line: the line read last, for an error.
    /// - Throws: ``GenomeError`` (`tooLarge`) as ``add(_:path:line:context:)`` does.
    mutating func finish(path: String, line: Int?) throws -> [String: [ClosedRange<Int>]] {
        try merge(path: path, line: line)
        return intervals
    }

    private mutating func stashRun() {
        guard !run.isEmpty else { return }
        unmerged[key, default: []] += run
        unmergedCount += run.count
        run.removeAll(keepingCapacity: true)
    }

    /// Merges every unmerged interval into its chromosome's intervals.
    private mutating func merge(path: String, line: Int?) throws {
        stashRun()
        for (key, list) in unmerged { try merge(list, into: key) }
        unmerged.removeAll(keepingCapacity: true)
        unmergedCount = 0
        guard kept <= maximumIntervals else {
            throw GenomeError(
                .tooLarge, path: path, line: line,
                "holds more than \(maximumIntervals) separate intervals: too many to read whole; merge "
                    + "them (bedtools merge), or bgzip the file and index it (tabix -p bed) so that only "
                    + "the regions needed are read")
        }
    }

    /// Merges `list` into `key`'s intervals: appended when it starts past them (a sorted file), else
    /// merged with them.
    private mutating func merge(_ list: [ClosedRange<Int>], into key: String) throws {
        let run = list.sorted { $0.lowerBound < $1.lowerBound }
        var merged = intervals.removeValue(forKey: key) ?? []
        kept -= merged.count
        if let last = merged.last, let first = run.first, first.lowerBound <= last.upperBound + 1 {
            let earlier = merged
            merged.removeAll(keepingCapacity: true)
            var i = 0
            var j = 0
            while i < earlier.count || j < run.count {
                let next: ClosedRange<Int>
                if j == run.count || (i < earlier.count && earlier[i].lowerBound <= run[j].lowerBound) {
                    next = earlier[i]
                    i += 1
                } else {
                    next = run[j]
                    j += 1
                }
                Self.append(next, to: &merged)
            }
        } else {
            // Grown by half, not doubled, and never past the bound: a doubling near it would take twice
            // the memory the bound stands for.
            let needed = merged.count + run.count
            if needed > merged.capacity {
                merged.reserveCapacity(min(max(needed, merged.capacity * 3 / 2), maximumIntervals + Self.pending))
            }
            for interval in run { Self.append(interval, to: &merged) }
        }
        kept += merged.count
        intervals[key] = merged
    }

    /// Adds `interval`, which starts at or after every interval in `merged`, joining it to the last.
    static func append(_ interval: ClosedRange<Int>, to merged: inout [ClosedRange<Int>]) {
        if let last = merged.last, interval.lowerBound <= last.upperBound + 1 {
            merged[merged.count - 1] = last.lowerBound...max(last.upperBound, interval.upperBound)
        } else {
            merged.append(interval)
        }
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
