extension String {
    /// This line's fields between `separator` bytes (empty fields kept).
    func fields(separatedBy separator: UInt8) -> [Substring] {
        split(separator: Character(Unicode.Scalar(separator)), omittingEmptySubsequences: false)
    }
}

extension Substring {
    /// A positive 1-based genome position, or nil.
    var genomePosition: Int? {
        guard let v = Int(self), v > 0 else { return nil }
        return v
    }
}
