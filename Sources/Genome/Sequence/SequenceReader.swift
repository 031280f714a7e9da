/// Reads bases from one opened genome file.
///
/// A reader holds file handles and buffers and is not safe to share between threads: make one per
/// thread with ``ReferenceGenome/makeReader()``.
public protocol SequenceReader: AnyObject {
    /// The bases `[start, end)` (0-based, half-open) of the genome's sequence `name`, uppercased.
    /// - Parameters:
    ///   - name: the genome's own sequence name (resolve aliases with ``ChromosomeNames`` first).
    ///   - start: first base, 0-based, `0 <= start`.
    ///   - end: one past the last base, `start <= end <= length`.
    /// - Throws: ``GenomeError`` when the sequence is missing, the range is outside it, or the file
    ///   cannot be read.
    func bases(_ name: String, from start: Int, to end: Int) throws -> [UInt8]
}
