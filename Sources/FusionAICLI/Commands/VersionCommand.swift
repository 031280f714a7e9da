import ArgumentParser

/// `fusionai version`: the tool's version and the versions of the native libraries it runs on.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the version of fusionai and of the libraries it is linked with."
    )

    func run() throws {
        print(
            (["fusionai\t\(FusionAIVersion.current)"] + FusionAIVersion.libraries.map { "\($0.name)\t\($0.version)" })
                .joined(separator: "\n"))
    }
}
