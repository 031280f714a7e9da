import Support

/// A motif file that cannot be read; the message names the file, the line and what was expected.
public typealias MotifFileError = FileError<MotifFileErrorCode>

/// What went wrong, in categories a caller can branch on.
public enum MotifFileErrorCode: String, Sendable {
    /// The file does not start with a `MEME version` line.
    case notMEME
    /// The alphabet is not DNA (`ACGT`).
    case unsupportedAlphabet
    /// The background frequencies line is incomplete or not four probabilities.
    case badBackground
    /// A matrix row is not four non-negative numbers summing above zero, or the matrix has the
    /// wrong number of rows.
    case badMatrix
    /// A `MOTIF` line with no `letter-probability matrix` block.
    case missingMatrix
    /// The file holds no motif.
    case noMotifs
}
