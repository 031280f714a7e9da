import ArgumentParser
import Foundation

/// Options every long-running subcommand takes.
struct CommonOptions: ParsableArguments {
    @Option(name: [.short, .customLong("threads")], help: "Worker threads (default: all cores).")
    var threads: Int = min(ProcessInfo.processInfo.activeProcessorCount, Self.maximumThreads)

    @OptionGroup var verbosity: QuietOption

    var quiet: Bool { verbosity.quiet }

    /// More threads than this only open more files and stacks (a genome reader each), never speed.
    static let maximumThreads = 1024

    func validate() throws {
        guard (1...Self.maximumThreads).contains(threads) else {
            throw ValidationError("--threads must be from 1 to \(Self.maximumThreads) (got \(threads)).")
        }
    }
}

/// `-q`: for the subcommands that take no threads.
struct QuietOption: ParsableArguments {
    @Flag(name: [.short, .long], help: "Print only warnings and errors on stderr.")
    var quiet = false
}
