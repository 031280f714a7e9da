import Support

/// Genome intervals by chromosome, merged, sorted and disjoint: a BED track as a set of positions.
/// Chromosome names match through the usual aliases (`chr2` and `2`, `chrM` and `MT`).
public struct IntervalSet: Sendable {
    /// Per chromosome key: 1-based inclusive intervals.
    private var intervals: [String: [ClosedRange<Int>]] = [:]
    /// BED lines read (a line overlapping several queried regions counts once per region).
    public private(set) var count = 0
    /// Whether only the lines near queried regions were read, through a tabix index.
    public private(set) var readByRegion = false
    /// The chromosomes (alias-free keys) the source names: those with an interval, or for a
    /// tabix-indexed file every sequence in its index, read near a queried region or not.
    public private(set) var chromosomes: Set<String> = []

    /// The most separate intervals a BED file read whole may hold.
    public static let defaultMaximumIntervals = BEDParser.defaultMaximumIntervals

    /// An empty set.
    public init() {}

    /// The union of 1-based inclusive ranges.
    public init(_ ranges: [(chromosome: String, range: ClosedRange<Int>)]) {
        var raw: [String: [ClosedRange<Int>]] = [:]
        for (chromosome, range) in ranges {
            raw[ChromosomeNames.key(chromosome, length: nil), default: []].append(range)
        }
        intervals = raw.mapValues { list in
            var merged: [ClosedRange<Int>] = []
            for interval in list.sorted(by: { $0.lowerBound < $1.lowerBound }) {
                BEDParser.append(interval, to: &merged)
            }
            return merged
        }
        count = ranges.count
        chromosomes = Set(intervals.keys)
    }

    /// Reads BED files (plain, gzip or bgzip) whole. BED is 0-based and half-open: `chrom start end`
    /// holds the 1-based positions `start + 1 ... end`. `track`, `browser`, `#` and blank lines are
    /// skipped; columns after the third are ignored.
    /// Intervals are merged as they are read; more than `maximumIntervals` separate ones (2^24 by
    /// default, 256 MiB) stop the reading with an error that suggests a tabix index.
    /// - Throws: ``GenomeError`` naming `file:line` for a line without chromosome, start and end
    ///   (`corrupt`), or past `maximumIntervals` (`tooLarge`).
    public init(bedPaths: [String], maximumIntervals: Int = IntervalSet.defaultMaximumIntervals) throws {
        var parser = BEDParser(maximumIntervals: maximumIntervals)
        for path in bedPaths {
            let lines = try TextLines(path: path, kind: "BED file")
            while let bytes = try lines.next() {
                try parser.add(bytes, path: path, line: lines.lineNumber)
            }
            // What is left of this file's last run is merged here, so that an error names this file.
            intervals = try parser.finish(path: path, line: lines.lineNumber)
        }
        count = parser.count
        chromosomes = Set(intervals.keys)
    }

    /// Reads a BED file for queries inside `regions`: by region through its tabix index (`PATH.tbi`
    /// or `PATH.csi` beside it) when that is about as cheap or cheaper, else whole. One query costs
    /// what reading some 300 lines in sequence costs (measured: 0.11 ms against 0.35 us a line), so
    /// regions are read one by one while they number under 1/256 of the file's lines (counted in
    /// the index): near the break-even point the smaller memory of region reads decides.
    /// - Throws: ``GenomeError`` naming the file for a bad line, or a stale or foreign index.
    public init(bedPath path: String, overlapping regions: IntervalSet) throws {
        guard let file = try TabixFile(path: path), regions.mergedCount * 256 < file.lineCount ?? .max else {
            try self.init(bedPaths: [path])
            return
        }
        var parser = BEDParser()
        for (chromosome, list) in regions.intervals.sorted(by: { $0.key < $1.key }) {
            for range in list {
                try file.forEachLine(chromosome: chromosome, range: range) { bytes in
                    try parser.add(
                        bytes, path: path, line: nil,
                        context: "region \(chromosome):\(range.lowerBound)-\(range.upperBound)")
                }
            }
        }
        self.init()
        intervals = try parser.finish(path: path, line: nil)
        count = parser.count
        readByRegion = true
        chromosomes = file.chromosomes
    }

    /// Whether this set and `other` name a chromosome in common (under any alias): a track that
    /// shares none with the fusions' windows was made for another genome's names.
    public func sharesChromosomes(with other: IntervalSet) -> Bool {
        !chromosomes.isDisjoint(with: other.chromosomes)
    }

    /// Whether 1-based `position` on `chromosome` lies in an interval. O(log n).
    public func contains(chromosome: String, position: Int) -> Bool {
        covered(chromosome: chromosome, range: position...position) == 1
    }

    /// How many positions of the 1-based inclusive `range` on `chromosome` the set covers. O(log n + k).
    public func covered(chromosome: String, range: ClosedRange<Int>) -> Int {
        var total = 0
        forEachPart(chromosome: chromosome, range: range) { total += $0.count }
        return total
    }

    /// The parts of the set inside the 1-based inclusive `range` on `chromosome`, in order. O(log n + k).
    public func intersection(chromosome: String, range: ClosedRange<Int>) -> [ClosedRange<Int>] {
        var parts: [ClosedRange<Int>] = []
        forEachPart(chromosome: chromosome, range: range) { parts.append($0) }
        return parts
    }

    private func forEachPart(chromosome: String, range: ClosedRange<Int>, _ body: (ClosedRange<Int>) -> Void) {
        guard let list = intervals[ChromosomeNames.key(chromosome, length: nil)], !list.isEmpty else { return }
        // First interval ending at or after the range's start.
        var low = 0
        var high = list.count
        while low < high {
            let mid = (low + high) / 2
            if list[mid].upperBound < range.lowerBound { low = mid + 1 } else { high = mid }
        }
        while low < list.count, list[low].lowerBound <= range.upperBound {
            body(max(list[low].lowerBound, range.lowerBound)...min(list[low].upperBound, range.upperBound))
            low += 1
        }
    }

    /// Number of merged intervals.
    public var mergedCount: Int { intervals.values.reduce(0) { $0 + $1.count } }
}
