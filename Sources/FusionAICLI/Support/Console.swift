import Foundation
import Pipeline

/// Log lines and progress on stderr, never mixed into stdout (which may carry the data).
/// Progress is drawn only when stderr is a terminal, so logs of batch jobs stay clean.
final class Console {
    private let command: String
    private let quiet: Bool
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var progressShown = false
    private var lastDraw = Date.distantPast
    private let started = Date()

    init(command: String, quiet: Bool) {
        self.command = command
        self.quiet = quiet
    }

    /// An informational line (suppressed by `--quiet`).
    func info(_ message: String) {
        guard !quiet else { return }
        emit("fusionai \(command): \(message)")
    }

    /// A warning (always shown).
    func warning(_ message: String) {
        emit("fusionai \(command): warning: \(message)")
    }

    /// An error (always shown).
    func error(_ message: String) {
        emit("fusionai \(command): error: \(message)")
    }

    /// Redraws the progress line, at most ten times a second.
    func progress(_ message: @autoclosure () -> String) {
        guard isTerminal, !quiet else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        FileHandle.standardError.write(Data("\r\u{1B}[K\(command): \(message())".utf8))
        progressShown = true
    }

    /// A progress bar when the total is known, else a count, with the rate so far.
    func progress(rows: Int, fraction: Double?) {
        let rate = Int(Double(rows) / max(Date().timeIntervalSince(started), 1e-3))
        guard let fraction else { return progress("\(rows) rows, \(rate) rows/s") }
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
        progress("[\(bar)] \(Int(fraction * 100))%  \(rows) rows, \(rate) rows/s")
    }

    private func emit(_ line: String) {
        if progressShown {
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
            progressShown = false
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

extension Console {
    /// A step's log that prints here.
    var log: StepLog {
        StepLog(
            info: { self.info($0) }, warning: { self.warning($0) },
            progress: { progress in
                switch progress {
                case .rows(let rows, let fraction): self.progress(rows: rows, fraction: fraction)
                case .status(let message): self.progress(message)
                }
            })
    }
}
