/// Genome intervals by chromosome, merged, sorted and disjoint: a BED track as a set of positions.
/// Chromosome names match through the usual aliases (`chr2` and `2`, `chrM` and `MT`).
public struct IntervalSet: Sendable {
    /// Per chromosome key: 1-based inclusive intervals.
    private var intervals: [String: [ClosedRange<Int>]] = [:]
    /// Intervals read, before merging.
    public private(set) var count = 0

    /// An empty set.
    public init() {}

    /// Reads BED files (plain, gzip or bgzip). BED is 0-based and half-open: `chrom start end` holds
    /// the 1-based positions `start + 1 ... end`. `track`, `browser`, `#` and blank lines are
    /// skipped; columns after the third are ignored.
    /// - Throws: ``GenomeError`` naming `file:line` for a line without chromosome, start and end.
    public init(bedPaths: [String]) throws {
        var raw: [String: [ClosedRange<Int>]] = [:]
        for path in bedPaths {
            let lines = try TextLines(path: path, kind: "BED file")
            while let bytes = try lines.next() {
                let line = String(decoding: UnsafeRawBufferPointer(bytes), as: UTF8.self)
                if line.allSatisfy(\.isWhitespace) || line.hasPrefix("#") || line.hasPrefix("track") || line.hasPrefix("browser") { continue }
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
                guard fields.count >= 3, !fields[0].isEmpty, let start = Int(fields[1]), let end = Int(fields[2]), start >= 0, end >= start else {
                    throw GenomeError(.corrupt, path: path, line: lines.lineNumber,
                                      "not a BED line: expected tab-separated chrom, start (0-based) and end, with end >= start >= 0")
                }
                count += 1
                guard end > start else { continue }  // empty interval
                raw[ChromosomeNames.key(String(fields[0]), length: nil), default: []].append((start + 1)...end)
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

    /// Whether 1-based `position` on `chromosome` lies in an interval. O(log n).
    public func contains(chromosome: String, position: Int) -> Bool {
        covered(chromosome: chromosome, range: position...position) == 1
    }

    /// How many positions of the 1-based inclusive `range` on `chromosome` the set covers. O(log n + k).
    public func covered(chromosome: String, range: ClosedRange<Int>) -> Int {
        guard let list = intervals[ChromosomeNames.key(chromosome, length: nil)], !list.isEmpty else { return 0 }
        // First interval ending at or after the range's start.
        var low = 0, high = list.count
        while low < high {
            let mid = (low + high) / 2
            if list[mid].upperBound < range.lowerBound { low = mid + 1 } else { high = mid }
        }
        var total = 0
        while low < list.count, list[low].lowerBound <= range.upperBound {
            total += min(list[low].upperBound, range.upperBound) - max(list[low].lowerBound, range.lowerBound) + 1
            low += 1
        }
        return total
    }

    /// Number of merged intervals.
    public var mergedCount: Int { intervals.values.reduce(0) { $0 + $1.count } }
}
