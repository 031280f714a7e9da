import CHTSlib

/// The end-of-file marker every BGZF file (bgzip, BCF) closes with: an empty block. A file cut
/// short at a block boundary (a copy or download that stopped) lacks it, and every block before the
/// cut still reads cleanly, so the rows after it would be lost without a read error.
public enum BGZFEnd {
    /// What a file without the marker is, for the error each reader raises.
    public static let missing =
        "is cut short: it has no BGZF end-of-file marker (a copy or download that stopped?); check it with "
        + "`bgzip -t` and copy it again"

    /// Whether `file` is BGZF and lacks the marker. Plain and gzip files have none to check, and a
    /// pipe cannot be checked (it cannot seek to its end).
    public static func isMissing(in file: UnsafeMutablePointer<BGZF>) -> Bool {
        bgzf_compression(file) == 2 && bgzf_check_EOF(file) == 0
    }
}
