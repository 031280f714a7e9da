/// The tool's version, printed by `fusionai --version`.
enum FusionAIVersion {
    static let current = "0.1.0"
}
