import Foundation

/// Where fusionai keeps what it can rebuild (genome indexes beside a read-only FASTA, the cohort
/// score cache): `$FUSIONAI_CACHE_DIR`, else `$XDG_CACHE_HOME/fusionai`, else `~/.cache/fusionai`.
public enum CacheFolder {
    /// nil when no variable names a place.
    public static var user: String? {
        let env = ProcessInfo.processInfo.environment
        if let dir = env["FUSIONAI_CACHE_DIR"], !dir.isEmpty { return dir }
        if let dir = env["XDG_CACHE_HOME"], !dir.isEmpty { return dir + "/fusionai" }
        if let home = env["HOME"], !home.isEmpty { return home + "/.cache/fusionai" }
        return nil
    }
}
