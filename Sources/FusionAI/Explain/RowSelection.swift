/// Data rows chosen with `--rows 1,5-9` (1-based, in the order of the input's data rows).
public struct RowSelection: Sendable, Equatable {
    private let ranges: [ClosedRange<Int>]

    /// nil selects every row.
    public static let all = RowSelection(ranges: [1...Int.max])

    private init(ranges: [ClosedRange<Int>]) {
        self.ranges = ranges
    }

    /// Parses `1,5-9,12`.
    /// - Returns: nil when the text is not a list of positive numbers and ranges.
    public init?(_ text: String) {
        var ranges: [ClosedRange<Int>] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            guard let first = bounds.first.flatMap({ Int($0) }), first >= 1 else { return nil }
            switch bounds.count {
            case 1: ranges.append(first...first)
            case 2:
                guard let last = Int(bounds[1]), last >= first else { return nil }
                ranges.append(first...last)
            default: return nil
            }
        }
        guard !ranges.isEmpty else { return nil }
        self.ranges = ranges
    }

    public func contains(_ row: Int) -> Bool { ranges.contains { $0.contains(row) } }

    /// The last row selected (so reading can stop there).
    public var last: Int { ranges.map(\.upperBound).max() ?? 0 }
}
