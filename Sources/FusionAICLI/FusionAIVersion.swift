import CFFTW
import CHDF5
import CHTSlib
import COpenBLAS

/// The tool's version, printed by `fusionai --version`.
enum FusionAIVersion {
    static let current = "0.1.0"

    /// The native libraries the numbers come from, as linked at run time: name and version.
    static var libraries: [(name: String, version: String)] {
        var major: UInt32 = 0
        var minor: UInt32 = 0
        var release: UInt32 = 0
        H5get_libversion(&major, &minor, &release)
        return [
            ("htslib", String(cString: hts_version())),
            ("fftw", String(cString: fusionai_fftwf_version())),
            ("openblas", String(cString: openblas_get_config()) + ", kernels " + OpenBLASKernels.current),
            ("hdf5", "\(major).\(minor).\(release)"),
        ]
    }
}
