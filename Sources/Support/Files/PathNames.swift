/// A path's folder and last component, as `NSString`'s `deletingLastPathComponent` and
/// `lastPathComponent` give them. Those trap in swift-corelibs-foundation on some one-character
/// paths (a genome called `g`, `--samples -`), so the split is done here.
public enum PathNames {
    /// `path` less its last component: `a/b/c` -> `a/b`, `/a` -> `/`, `a` -> `` (the working folder).
    public static func folder(of path: String) -> String {
        let trimmed = trimmingTrailingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        let folder = trimmingTrailingSlashes(String(trimmed[..<slash]))
        return folder.isEmpty ? "/" : folder
    }

    /// The last component of `path`: `a/b/c` -> `c`, `a/b/` -> `b`, `/` -> `/`.
    public static func name(of path: String) -> String {
        let trimmed = trimmingTrailingSlashes(path)
        guard trimmed != "/", let slash = trimmed.lastIndex(of: "/") else { return trimmed }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// `path` without trailing slashes, `/` itself kept.
    private static func trimmingTrailingSlashes(_ path: String) -> String {
        var end = path.endIndex
        while end > path.startIndex, path[path.index(before: end)] == "/" { end = path.index(before: end) }
        return end == path.startIndex && !path.isEmpty ? "/" : String(path[..<end])
    }
}
