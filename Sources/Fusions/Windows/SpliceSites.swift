/// The splice dinucleotides beside a breakpoint pair, read from the windows in transcript orientation:
/// a real exon-junction breakpoint has the intron's donor (`GT`) right after the head breakpoint and
/// its acceptor (`AG`) right before the tail breakpoint. Most rows lacking them means the coordinates
/// and the genome are probably different builds.
public struct SpliceSites: Sendable, Equatable {
    /// The two bases after the head breakpoint (`GT` at a canonical donor).
    public let donor: String
    /// The two bases before the tail breakpoint (`AG` at a canonical acceptor).
    public let acceptor: String

    /// Reads the dinucleotides from windows built by ``WindowRule``. The interval holds 4,999 bases
    /// before the breakpoint base in genome order and 5,000 after, so the breakpoint base sits at
    /// index 4999 of a `+` window and, once reverse-complemented, at index 5000 of a `-` window.
    public init(head: [UInt8], headStrandIsMinus: Bool, tail: [UInt8], tailStrandIsMinus: Bool) {
        let d = headStrandIsMinus ? 5001 : 5000
        let a = tailStrandIsMinus ? 4998 : 4997
        donor = String(decoding: head[d..<(d + 2)], as: UTF8.self)
        acceptor = String(decoding: tail[a..<(a + 2)], as: UTF8.self)
    }

    /// A GT (or the minor GC) donor.
    public var hasCanonicalDonor: Bool { donor == "GT" || donor == "GC" }
    /// An AG acceptor.
    public var hasCanonicalAcceptor: Bool { acceptor == "AG" }
}
