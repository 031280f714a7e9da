import COpenBLAS
import Foundation

/// Makes OpenBLAS use the vector kernels this CPU has.
///
/// OpenBLAS (0.3.21 in Debian 12) picks its kernels once, when it is loaded, from a table of CPU
/// models. On a CPU it does not know (a newer Xeon, or a virtual machine that hides the model) it
/// falls back to Prescott's SSE3 kernels: sgemm ran 4.4x slower than with its AVX-512 kernels on this
/// project's 2-core Xeon. When that has happened and the CPU has AVX2 or AVX-512, the process starts
/// itself again with `OPENBLAS_CORETYPE` naming the right kernels (OpenBLAS reads the variable only
/// when it loads, hence the new start). A core the user chose with `OPENBLAS_CORETYPE` is kept.
public enum OpenBLASKernels {
    /// The kernels OpenBLAS chose, e.g. `SkylakeX`.
    public static var current: String { String(cString: openblas_get_corename()) }

    /// Restarts the process with better kernels when OpenBLAS fell back to pre-AVX2 ones that the CPU
    /// outgrows; returns (doing nothing) otherwise, or when the restart fails.
    public static func chooseForThisCPU() {
        let environment = ProcessInfo.processInfo.environment
        guard environment["OPENBLAS_CORETYPE"] == nil, environment[restartedKey] == nil,
            preAVX2Kernels.contains(current.lowercased()), let wanted = kernels(forFlags: cpuFlags())
        else { return }
        setenv("OPENBLAS_CORETYPE", wanted, 1)
        setenv(restartedKey, "1", 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Only reached when the restart failed: go on with the kernels there are.
        unsetenv("OPENBLAS_CORETYPE")
    }

    /// The best OpenBLAS kernels for a CPU with these `/proc/cpuinfo` flags, when better than SSE.
    static func kernels(forFlags flags: Set<String>) -> String? {
        if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"]) { return "SkylakeX" }
        if flags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        return nil
    }

    /// OpenBLAS's fallbacks for a CPU it cannot place (lower-cased core names).
    static let preAVX2Kernels: Set<String> = ["prescott", "core2", "penryn", "dunnington", "nehalem", "katmai"]

    /// Set in the restarted process, so it never restarts twice.
    private static let restartedKey = "FUSIONAI_OPENBLAS_KERNELS_CHOSEN"

    /// The first processor's feature flags.
    static func cpuFlags() -> Set<String> {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
            let colon = line.firstIndex(of: ":")
        else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }
}
