/// An error a user can act on: a stable `code` that callers and tests branch on, and a `message`
/// that names the file (and line) concerned and says how to fix it.
///
/// Every error type the library throws conforms, so tests assert on codes, not on wording.
public protocol CodedError: Error, CustomStringConvertible, Sendable {
    /// The error's category, stable across releases and wording changes.
    associatedtype Code: RawRepresentable, Hashable, Sendable where Code.RawValue == String
    var code: Code { get }
    /// What happened and how to fix it.
    var message: String { get }
}
