import Support

/// An output of an earlier step that a later one cannot use; the message names the file (and
/// line) and which step writes it.
public typealias ResultsFileError = FileError<ResultsFileErrorCode>

/// What went wrong, in categories a caller can branch on.
public enum ResultsFileErrorCode: String, Sendable {
    /// The file is missing or is not text.
    case unreadable
    /// The header lacks a column the reader needs: not the file that step writes.
    case missingColumn
    /// A row without the fields or values the reader needs.
    case malformedRow
    /// A folder a step wrote cannot be listed.
    case notAFolder
    /// Outputs that do not belong together (an explain folder made from another input or model).
    case mismatched
}
