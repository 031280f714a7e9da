import Foundation
import SeededRandom
import TestSupport
import XCTest

/// Small genome files written by the tests themselves.
enum GenomeTestFiles {
    /// Writes a FASTA with the given sequences (60 nt a line) into `folder` and returns its path.
    static func fasta(_ sequences: [(String, String)], in folder: String, name: String = "genome.fa") throws -> String {
        var text = ""
        for (id, bases) in sequences {
            text += ">\(id)\n"
            var rest = Substring(bases)
            while !rest.isEmpty {
                text += rest.prefix(60) + "\n"
                rest = rest.dropFirst(60)
            }
        }
        let path = folder + "/" + name
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    /// Runs a command-line tool (gzip, bgzip) and fails the test when it fails.
    static func run(_ tool: String, _ arguments: [String], stdout: String? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        if let stdout {
            _ = FileManager.default.createFile(atPath: stdout, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdout))
        }
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(
                domain: "GenomeTestFiles", code: Int(process.terminationStatus),
                userInfo: [NSLocalizedDescriptionKey: "\(tool) failed"])
        }
    }

    /// A deterministic pseudo-random sequence of `count` bases.
    static func sequence(_ count: Int, seed: UInt64) -> String {
        var random = SeededGenerator(seed: seed)
        let letters = Array("ACGT")
        return String((0..<count).map { _ in letters[random.int(in: 0...3)] })
    }
}
