import Foundation

/// Whole-file reads of the text outputs other subcommands wrote (predictions, explain and features
/// tables, SVG figures), for `report` and `run`.
enum TextTable {
    static func text(_ path: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ReportInputError(path: path, "cannot be read")
        }
        return text
    }

    /// Tab-separated rows, `#` comment lines left out; the first row is the header. With `keys`,
    /// only the data rows whose first field is one of them: lines are matched before they are
    /// split, as a whole run's coverage table can hold millions.
    static func rows(_ path: String, firstFieldIn keys: Set<String>? = nil) throws -> [[String]] {
        var lines = try text(path).split(separator: "\n").filter { !$0.hasPrefix("#") }
        if let keys, !lines.isEmpty {
            lines = [lines[0]] + lines.dropFirst().filter { keys.contains(String($0.prefix { $0 != "\t" })) }
        }
        return lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }
}

/// An input of `report` that is missing or is not what it should be.
struct ReportInputError: Error, CustomStringConvertible {
    let path: String, message: String
    init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }
    var description: String { "\(path): \(message)" }
}
