import Support

/// A source row that yields no record, or a record that yields no windows, and why.
///
/// Batch runs count rejections by ``Reason`` in their summary and write them to `--rejects`;
/// `--strict` turns the first into an error. The reason is the error's code.
public struct Rejection: CodedError, Equatable {
    /// The columns of a `--rejects` file (after `file` when several inputs are read).
    public static let rejectsHeader = "line\treason\tdetail\trow\n"

    /// This rejection's row of a `--rejects` file, with the rejected row's own text last. Tabs and
    /// line ends in it are written as `\t`, `\r`, `\n` (and a backslash as `\\`), so each
    /// rejection stays one row of four columns: the raw row's tabs put its fields under the
    /// table's other names in pandas and R.
    public func rejectsLine(row text: String) -> String {
        let escape = { (text: String) in
            text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\t", with: "\\t")
                .replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
        }
        return "\(line)\t\(reason.rawValue)\t\(escape(detail))\t\(escape(text))\n"
    }

    /// Why a row was set aside; its raw value is what summaries and `--rejects` files print.
    public enum Reason: String, Sendable, CaseIterable, Comparable {
        /// The row does not have the format's shape (columns, numbers, strands).
        case malformed = "malformed row"
        /// A partner's strand is unknown (`.`) and no `--annotation` supplied it.
        case unknownStrand = "strand unknown"
        /// A partner is intergenic (Arriba), so it has no gene orientation.
        case intergenic = "intergenic partner"
        /// The caller could not place the breakpoint (EricScript) or gives no genomic coordinate.
        case unplacedBreakpoint = "breakpoint not placed"
        /// The chromosome is not in the genome, even through aliases.
        case unknownChromosome = "chromosome not in genome"
        /// The position lies outside the chromosome.
        case positionOutOfRange = "position outside chromosome"

        public static func < (a: Reason, b: Reason) -> Bool { a.rawValue < b.rawValue }
    }

    public let reason: Reason
    /// 1-based line of the source file.
    public let line: Int
    /// What exactly is wrong, and the fix where there is one.
    public let detail: String

    /// The reason, as the error's code.
    public var code: Reason { reason }
    /// What exactly is wrong (the ``detail``); the row's line is ``line``.
    public var message: String { detail }

    public init(_ reason: Reason, line: Int, _ detail: String) {
        self.reason = reason
        self.line = line
        self.detail = detail
    }

    public var description: String { "line \(line): \(reason.rawValue): \(detail)" }
}
