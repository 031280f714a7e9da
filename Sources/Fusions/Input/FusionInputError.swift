import Support

/// A fusion-call file that cannot be read at all: missing, empty, binary, of unknown format, or
/// (with `--strict`) holding a rejected row. The message names the file, the line and the fix.
public typealias FusionInputError = FileError<FusionInputErrorCode>

/// What went wrong, in categories a caller can branch on.
public enum FusionInputErrorCode: String, Sendable {
    /// The file (or folder) cannot be opened or read.
    case unreadable
    /// It holds no header and no rows, or no usable rows.
    case empty
    /// Its first line is no known format's, or the format asked for has no reader.
    case unknownFormat
    /// The format needs a header line and the file does not start with one.
    case missingHeader
    /// The header lacks columns the format needs.
    case missingColumn
    /// A row has not the shape the reader needs (training data: windows, labels).
    case malformedRow
    /// A row was rejected and `--strict` makes that an error.
    case rejectedRow
    /// Labels given beside the rows do not line up with them.
    case labelMismatch
    /// Compressed, where rows must be read by byte offset.
    case compressed
    /// The file changed while it was being read.
    case changed
}
