import ArgumentParser
import CFFTW
import CHDF5
import CHTSlib
import COpenBLAS

/// `fusionai version`: the tool's version and the versions of the native libraries it runs on.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the version of fusionai and of the libraries it is linked with."
    )

    func run() throws {
        var major: UInt32 = 0, minor: UInt32 = 0, release: UInt32 = 0
        H5get_libversion(&major, &minor, &release)
        let lines = [
            "fusionai\t\(FusionAIVersion.current)",
            "htslib\t\(String(cString: hts_version()))",
            "fftw\t\(String(cString: fusionai_fftwf_version()))",
            "openblas\t\(String(cString: openblas_get_config()))",
            "hdf5\t\(major).\(minor).\(release)",
        ]
        print(lines.joined(separator: "\n"))
    }
}
