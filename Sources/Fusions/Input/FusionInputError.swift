/// A fusion-call file that cannot be read at all: missing, empty, binary, of unknown format, or
/// (with `--strict`) holding a rejected row. The message names the file, the line and the fix.
public struct FusionInputError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let line: Int?
    public let message: String

    public init(path: String, line: Int? = nil, _ message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(path):\(line): \(message)" }
        return "\(path): \(message)"
    }
}
