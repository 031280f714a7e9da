extension StringProtocol {
    /// The text's lines, split at `\n`, at `\r\n` and at `\r` alone (classic Mac line ends). In Swift
    /// `\r\n` is one Character, so `split(separator: "\n")` does not split there and a Windows-edited
    /// file reads as one line.
    public func lines(omittingEmpty: Bool = false) -> [SubSequence] {
        split(omittingEmptySubsequences: omittingEmpty) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
    }
}
