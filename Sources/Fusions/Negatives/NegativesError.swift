/// A negative set that cannot be made: an unreadable known-fusion list or exclusion BED (the
/// message names `file:line`), or too few genes left to pair. The message says what to change.
public struct NegativesError: Error, CustomStringConvertible, Sendable {
    public let path: String?
    public let line: Int?
    public let message: String

    public init(path: String? = nil, line: Int? = nil, _ message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String {
        switch (path, line) {
        case (let path?, let line?): return "\(path):\(line): \(message)"
        case (let path?, nil): return "\(path): \(message)"
        default: return message
        }
    }
}
