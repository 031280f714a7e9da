import Foundation

/// Regions no negative breakpoint may fall in (repeats, pseudogenes, paralogs...), read from BED
/// files (plain, gzip or bgzip). BED intervals are 0-based and half-open: the 1-based position `p`
/// is inside `chrom start end` when `start < p <= end`. Chromosomes match through the usual aliases
/// (`chr2` and `2`, `chrM` and `MT`).
public struct ExclusionIntervals: Sendable {
    /// Per chromosome key: merged, sorted, disjoint 1-based inclusive intervals.
    private var intervals: [String: [ClosedRange<Int>]] = [:]
    /// Intervals read, before merging.
    public private(set) var count = 0

    /// No exclusions.
    public init() {}

    /// Reads BED files; `track`, `browser`, `#` and blank lines are skipped, and columns after the
    /// third are ignored.
    /// - Throws: ``NegativesError`` naming `file:line` for a line without a chromosome, start and end.
    public init(bedPaths: [String]) throws {
        var raw: [String: [ClosedRange<Int>]] = [:]
        for path in bedPaths {
            let reader = try LineReader(path: path)
            while let bytes = try reader.next() {
                let line = String(decoding: bytes, as: UTF8.self)
                if line.allSatisfy(\.isWhitespace) || line.hasPrefix("#") || line.hasPrefix("track") || line.hasPrefix("browser") { continue }
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
                guard fields.count >= 3, !fields[0].isEmpty, let start = Int(fields[1]), let end = Int(fields[2]), start >= 0, end >= start else {
                    throw NegativesError(path: path, line: reader.lineNumber, "not a BED line: expected tab-separated chrom, start (0-based) and end, with end >= start >= 0")
                }
                count += 1
                guard end > start else { continue }  // empty interval
                raw[Self.key(fields[0]), default: []].append((start + 1)...end)
            }
        }
        for (chromosome, list) in raw {
            var merged: [ClosedRange<Int>] = []
            for interval in list.sorted(by: { $0.lowerBound < $1.lowerBound }) {
                if let last = merged.last, interval.lowerBound <= last.upperBound + 1 {
                    merged[merged.count - 1] = last.lowerBound...max(last.upperBound, interval.upperBound)
                } else {
                    merged.append(interval)
                }
            }
            intervals[chromosome] = merged
        }
    }

    /// Whether 1-based `position` on `chromosome` lies in an interval.
    /// - Complexity: O(log n) in the chromosome's intervals.
    public func contains(chromosome: String, position: Int) -> Bool {
        guard let list = intervals[Self.key(chromosome)], !list.isEmpty else { return false }
        // Last interval starting at or before `position`.
        var low = 0, high = list.count
        while low < high {
            let mid = (low + high) / 2
            if list[mid].lowerBound <= position { low = mid + 1 } else { high = mid }
        }
        return low > 0 && list[low - 1].contains(position)
    }

    /// `chr2`, `2` and `CHR2` alike; `M`, `MT` alike.
    static func key(_ name: some StringProtocol) -> String {
        var s = name.lowercased()
        if s.hasPrefix("chr") { s.removeFirst(3) }
        return s == "mt" ? "m" : s
    }
}
