/// A model that cannot be built, loaded or run as asked; the message says which layer or file and why.
public struct ModelError: Error, CustomStringConvertible, Sendable {
    /// The model file, when there is one.
    public let path: String?
    public let message: String

    public init(path: String? = nil, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String {
        if let path { return "\(path): \(message)" }
        return message
    }
}
