/// What a `prepare` run did, for its summary on stderr and for tests.
public struct PrepareSummary: Sendable {
    public var format: FusionFormat
    /// Data rows seen (comments and blank lines excluded).
    public var rows = 0
    /// Rows written to the output.
    public var written = 0
    /// Rejected rows by reason.
    public var rejected: [Rejection.Reason: Int] = [:]
    /// Strands taken from the annotation where the caller gave none, and those it contradicts.
    public var strands = StrandCheck()
    /// Record chromosome name -> genome name, for every alias used.
    public var aliases: [String: String] = [:]
    /// Rows with at least one N-padded window.
    public var clipped = 0
    /// Rows with windows, and how many show a canonical donor after the head and acceptor before the tail.
    public var windowed = 0
    public var canonicalDonors = 0
    public var canonicalAcceptors = 0

    public init(format: FusionFormat) {
        self.format = format
    }

    public var totalRejected: Int { rejected.values.reduce(0, +) }

    /// Whether most rows lack the splice dinucleotides an exon-junction breakpoint has (checked from 10 rows on).
    public var spliceSitesMostlyMissing: Bool {
        windowed >= 10 && 2 * min(canonicalDonors, canonicalAcceptors) < windowed
    }
}
