import Support

/// A VCF or BCF file that cannot be read, indexed or written; the message names the file and the fix.
public typealias VariantsError = FileError<VariantsErrorCode>

/// What went wrong, in categories a caller can branch on.
public enum VariantsErrorCode: String, Sendable {
    /// The file is missing or cannot be opened.
    case unreadable
    /// The file is not VCF or BCF (or not bgzip-compressed where an index needs it).
    case unsupportedFormat
    /// The index beside the file is older than it, truncated, or cannot be built.
    case indexUnavailable
    /// A record cannot be parsed, or the file ends mid-record.
    case corrupt
    /// An output VCF cannot be written.
    case writeFailed
}
