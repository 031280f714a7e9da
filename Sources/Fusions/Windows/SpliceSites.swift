import Genome

/// The splice dinucleotides beside a breakpoint pair, read from the windows in transcript orientation:
/// a real exon-junction breakpoint has the intron's donor (`GT`) right after the head breakpoint and
/// its acceptor (`AG`) right before the tail breakpoint. Most rows lacking them means the coordinates
/// and the genome are probably different builds.
public struct SpliceSites: Sendable, Equatable {
    /// The two bases after the head breakpoint (`GT` at a canonical donor).
    public let donor: String
    /// The two bases before the tail breakpoint (`AG` at a canonical acceptor).
    public let acceptor: String

    /// Reads the dinucleotides from windows built by ``WindowRule``, around each window's
    /// breakpoint base (``WindowRule/breakpointIndex(strand:)``: 4999 on `+`, 5000 on `-`).
    public init(head: [UInt8], headStrand: Strand, tail: [UInt8], tailStrand: Strand) {
        let d = WindowRule.breakpointIndex(strand: headStrand) + 1
        let a = WindowRule.breakpointIndex(strand: tailStrand) - 2
        donor = String(decoding: head[d..<(d + 2)], as: UTF8.self)
        acceptor = String(decoding: tail[a..<(a + 2)], as: UTF8.self)
    }

    /// A GT (or the minor GC) donor.
    public var hasCanonicalDonor: Bool { donor == "GT" || donor == "GC" }
    /// An AG acceptor.
    public var hasCanonicalAcceptor: Bool { acceptor == "AG" }
}
