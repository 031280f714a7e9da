import Support

/// A fusion-call file that cannot be read at all: missing, empty, binary, of unknown format, or
/// (with `--strict`) holding a rejected row. The message names the file, the line and the fix.
public struct FusionInputError: CodedError, Equatable {
    /// What went wrong, in categories a caller can branch on.
    public enum Code: String, Sendable {
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

    public let code: Code
    /// The file concerned.
    public let path: String
    /// A 1-based line of `path`, when the problem is on one line.
    public let line: Int?
    /// What happened and how to fix it.
    public let message: String

    public init(_ code: Code, path: String, line: Int? = nil, _ message: String) {
        self.code = code
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(path):\(line): \(message)" }
        return "\(path): \(message)"
    }
}
