import Support

/// An explain folder's file that seqlet calling cannot use; the message names the file (and line)
/// and what to give instead.
public typealias SeqletsError = FileError<SeqletsErrorCode>

/// What went wrong, in categories a caller can branch on.
public enum SeqletsErrorCode: String, Sendable {
    /// A `.npy` file that is not little-endian float32 of the expected shape.
    case badArray
    /// `ID.fis.tsv` lacks rows, columns or genome positions the seqlets are placed with.
    case badScoreTable
    /// The folder holds no explained fusion.
    case noFusions
}
