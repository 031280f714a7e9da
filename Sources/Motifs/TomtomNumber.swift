import Foundation

/// Numbers as TOMTOM's TSV writes them.
public enum TomtomNumber {
    /// Three significant digits, C's `%.3g`, as TOMTOM prints them. Through libc's gcvt (which is
    /// `%.*g`): String(format:) and Swift's varargs took most of the time of writing a whole
    /// database's comparisons.
    public static func format(_ value: Double) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 40) { buffer in
            guard let base = buffer.baseAddress else { return String(value) }
            gcvt(value, 3, base)
            return String(cString: base)
        }
    }
}
