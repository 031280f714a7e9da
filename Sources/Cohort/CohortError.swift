import Support

/// A sample sheet, or a stage's output, that a cohort run cannot use; the message names the file,
/// the line and what to give instead.
public typealias CohortError = FileError<CohortErrorCode>

/// What went wrong, in categories a caller can branch on.
public enum CohortErrorCode: String, Sendable {
    /// The sample sheet lacks the `sample` or `path` column.
    case missingColumn
    /// A sheet row without a sample or path, or a stage's row that does not parse.
    case malformedRow
    /// A sample name that cannot name a file (letters, digits, `.`, `_` and `-` only).
    case badSampleName
    /// A `format` cell that names no format fusionai reads.
    case unknownFormat
    /// A sheet with no samples, or a cohort in which no sample could be read.
    case noSamples
    /// A sample the sheet does not list.
    case unknownSample
    /// A stage's output is missing or no longer matches the stages before it.
    case staleStage
    /// Chunks scored by different models, or by another model than the one given now.
    case otherModel
    /// A sample's file that is a named pipe, a device or a socket: reading it could wait forever.
    case notAFile
}
