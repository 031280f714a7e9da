import Foundation
import Support

/// An error opening or reading a reference genome or annotation; its message names the file and says what to do.
public typealias GenomeError = FileError<GenomeErrorCode>

/// What went wrong, in categories a caller can branch on.
public enum GenomeErrorCode: String, Sendable {
    case notFound, unreadable, unsupportedFormat, indexUnavailable, corrupt, unknownChromosome, outOfRange
    /// More than the memory bound allows (a BED with too many separate intervals to hold whole).
    case tooLarge
}
