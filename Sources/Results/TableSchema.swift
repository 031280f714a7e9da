import Foundation
import Support

/// The layout of one kind of output table: its file name and its columns in file order, named
/// once here for the step that writes it and every step that reads it back.
public struct TableSchema: Sendable {
    /// The file's name; for a per-fusion file, what follows the fusion's ID (`.fis.tsv`).
    public let file: String
    /// The columns, in file order (a writer may append more, such as ISM's extra score).
    public let columns: [String]
    /// The command that writes the file, named in errors (`fusionai explain`).
    public let writer: String

    public init(file: String, columns: [String], writer: String) {
        self.file = file
        self.columns = columns
        self.writer = writer
    }

    /// The header line, with `extra` column names after the schema's own.
    public func header(extra: [String] = []) -> String {
        (columns + extra).joined(separator: "\t") + "\n"
    }

    /// One row: `fields` tab-separated, ended by a newline.
    public func line(_ fields: [String]) -> String {
        fields.joined(separator: "\t") + "\n"
    }

    /// Reads the table at `path`: the first line is the header; `#` comment lines and empty lines
    /// are left out. With `keys`, only the data rows whose first field is one of them (matched
    /// before splitting: a run's coverage table can hold millions of rows).
    /// - Throws: ``ResultsFileError`` when the file cannot be read.
    public func read(_ path: String, firstFieldIn keys: Set<String>? = nil) throws -> ResultsTable {
        let text = try ResultsTable.text(path)
        var header: [String]?
        var rows: [ResultsTable.Row] = []
        for (n, line) in text.lines().enumerated()
        where !line.isEmpty && !line.hasPrefix("#") {
            guard header != nil else {
                header = Self.fields(line)
                continue
            }
            if let keys, !keys.contains(String(line.prefix { $0 != "\t" })) { continue }
            rows.append(ResultsTable.Row(line: n + 1, fields: Self.fields(line)))
        }
        return ResultsTable(path: path, schema: self, header: header ?? [], rows: rows)
    }

    private static func fields(_ line: Substring) -> [String] {
        line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
    }
}

/// A table read through its ``TableSchema``: cells are found by column name.
public struct ResultsTable: Sendable {
    /// One data row and its 1-based line in the file.
    public struct Row: Sendable {
        public let line: Int
        public let fields: [String]
    }

    public let path: String
    public let schema: TableSchema
    /// The header's names, in file order.
    public let header: [String]
    public let rows: [Row]

    /// The position of `column` in the header.
    /// - Throws: ``ResultsFileError/Code/missingColumn`` naming the file and its writer.
    public func index(of column: String) throws -> Int {
        guard let index = header.firstIndex(of: column) else {
            throw ResultsFileError(
                .missingColumn, path: path, line: 1, "has no \(column) column: give the output of `\(schema.writer)`")
        }
        return index
    }

    /// The whole text of a file another step wrote (a table or an SVG figure).
    /// - Throws: ``ResultsFileError/Code/unreadable`` with the cause.
    public static func text(_ path: String) throws -> String {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ResultsFileError(.unreadable, path: path, "cannot be read: no such file")
        }
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ResultsFileError(
                .unreadable, path: path, "cannot be read as UTF-8 text (\(error.localizedDescription))")
        }
    }
}
