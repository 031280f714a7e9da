import ArgumentParser
import Foundation

/// Options every long-running subcommand takes.
struct CommonOptions: ParsableArguments {
    @Option(name: [.short, .customLong("threads")], help: "Worker threads (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(name: [.short, .long], help: "Print only warnings and errors on stderr.")
    var quiet = false

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1 (got \(threads)).") }
    }
}
