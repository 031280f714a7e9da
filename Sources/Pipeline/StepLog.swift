import Fusions

/// Where a step's log lines, warnings and progress go: the caller decides (the command line
/// prints them on stderr); the library itself prints nothing.
public struct StepLog {
    /// Progress of a long step.
    public enum Progress {
        /// Rows handled so far and the fraction of the input read (nil when unknown).
        case rows(Int, fraction: Double?)
        /// A count in words, such as "3 fusion(s) explained".
        case status(String)
    }

    public var info: (String) -> Void
    public var warning: (String) -> Void
    public var progress: (Progress) -> Void

    public init(
        info: @escaping (String) -> Void, warning: @escaping (String) -> Void,
        progress: @escaping (Progress) -> Void = { _ in }
    ) {
        self.info = info
        self.warning = warning
        self.progress = progress
    }

    /// A log that drops everything (tests, library callers that only want the result).
    public static var silent: StepLog { StepLog(info: { _ in }, warning: { _ in }) }
}

extension StepLog {
    /// A warning per reason rows were rejected for, with how to list them when they were not.
    /// - Parameter rows: the rows read; none read, or every one malformed, most often means the file
    ///   was read in the wrong format, which is then said.
    func rejected(_ counts: [Rejection.Reason: Int], rows: Int, listed: Bool) {
        for (reason, count) in counts.sorted(by: { $0.key < $1.key }) {
            warning("\(count) row(s) rejected: \(reason.rawValue)\(listed ? "" : " (list them with --rejects FILE)")")
        }
        if rows == 0 {
            warning("no fusion rows read: a caller that found none, or the wrong format (see --format and --columns)")
        }
    }
}

extension StepLog {
    /// What the annotation did to the calls' strands: those it filled, and those it contradicts.
    func strands(_ check: StrandCheck) {
        if check.filled > 0 { info("\(check.filled) strand(s) taken from the annotation") }
        strandContradictions(check)
    }

    /// A warning with the first partners whose strand, as their caller gives it, the annotation
    /// contradicts; `source` (a cohort's sample and file) starts it.
    func strandContradictions(_ check: StrandCheck, in source: String? = nil) {
        guard check.contradicted > 0 else { return }
        let more = check.contradicted > check.examples.count ? "; ..." : ""
        warning(
            (source.map { "\($0): " } ?? "")
                + "\(check.contradicted) partner(s) have a strand other than their gene's in the annotation; the "
                + "caller's strand is kept (antisense calls, or an annotation of another release or assembly?): "
                + check.examples.joined(separator: "; ") + more)
    }
}

extension StepError {
    /// Every row of the input malformed: the file is not in the format it was read as, and an
    /// output of its header alone would pass down a pipeline unnoticed.
    static func everyRowMalformed(_ counts: [Rejection.Reason: Int], rows: Int, inputs: [String], formats: String)
        -> StepError?
    {
        guard rows > 0, counts[.malformed] == rows else { return nil }
        return StepError(
            .nothingUsable, path: inputs.joined(separator: ", "),
            "every one of its \(rows) row(s) is malformed when read as \(formats): is the format right? (see "
                + "--format and --columns; --rejects FILE lists the rows and why)")
    }
}
