/// An error about a file, and where it applies one line of it: the shape every module's error
/// takes. Each module names its own codes (`GenomeErrorCode`, ...) and its error type as
/// `FileError` of them (`GenomeError`), so callers and tests can tell the modules' errors apart
/// and branch on codes, while the message format (`path:line: message`) lives here once.
public struct FileError<Kind>: CodedError, FileLocatedError, Equatable
where Kind: RawRepresentable & Hashable & Sendable, Kind.RawValue == String {
    public typealias Code = Kind

    public let code: Kind
    /// The file concerned, when there is one.
    public let path: String?
    /// A 1-based line of `path`, when the problem is on one line.
    public let line: Int?
    /// What happened and how to fix it.
    public let message: String

    public init(_ code: Kind, path: String? = nil, line: Int? = nil, _ message: String) {
        self.code = code
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String {
        switch (path, line) {
        case (let path?, let line?): "\(path):\(line): \(message)"
        case (let path?, nil): "\(path): \(message)"
        default: message
        }
    }
}

/// An error about a place in a file, whatever its module: for callers that name the file
/// themselves (a cohort's sample sheet names each sample's files) and want the rest of the message.
public protocol FileLocatedError: Error {
    var path: String? { get }
    var line: Int? { get }
    var message: String { get }
}
