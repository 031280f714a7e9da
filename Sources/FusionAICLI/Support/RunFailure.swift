import ArgumentParser
import Support

/// Runs a subcommand's body, turning the project's errors into one clear line on stderr and exit 1.
/// Usage errors stay with ArgumentParser (exit 64).
func reportingFailures(_ console: Console, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ExitCode {
        throw error
    } catch let error as ValidationError {
        throw error
    } catch {
        console.error(SystemReason.line(for: error))
        throw ExitCode.failure
    }
}
