/// FusionAI's one-hot encoding: A, C, G, T (any case) -> channels 0-3; N and every other code -> all
/// zeros, so an unknown base contributes nothing.
public enum OneHot {
    /// Channel of each byte, or -1.
    public static let channel: [Int8] = (0...255).map { b -> Int8 in
        switch UInt8(b) | 0x20 {
        case UInt8(ascii: "a"): 0
        case UInt8(ascii: "c"): 1
        case UInt8(ascii: "g"): 2
        case UInt8(ascii: "t"): 3
        default: -1
        }
    }

    /// Writes `bases.count x 4` floats at `target` (which must be zeroed).
    public static func encode(_ bases: some Collection<UInt8>, into target: UnsafeMutablePointer<Float>) {
        for (i, b) in bases.enumerated() {
            let c = channel[Int(b)]
            if c >= 0 { target[i * 4 + Int(c)] = 1 }
        }
    }
}
