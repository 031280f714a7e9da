/// Base-level operations on ASCII nucleotide bytes (IUPAC codes kept as they are).
public enum Nucleotides {
    /// ASCII `N`.
    public static let n: UInt8 = 78

    /// Complement table over uppercase and lowercase IUPAC codes (case kept); other bytes map to themselves.
    static let complement: [UInt8] = {
        var t = (0...255).map { UInt8($0) }
        let pairs: [(Unicode.Scalar, Unicode.Scalar)] = [
            ("A", "T"), ("C", "G"), ("R", "Y"), ("K", "M"), ("B", "V"), ("D", "H"),
            ("S", "S"), ("W", "W"), ("N", "N"),
        ]
        for (a, b) in pairs {
            let (x, y) = (UInt8(ascii: a), UInt8(ascii: b))
            t[Int(x)] = y
            t[Int(y)] = x
            t[Int(x | 0x20)] = y | 0x20
            t[Int(y | 0x20)] = x | 0x20
        }
        t[Int(UInt8(ascii: "U"))] = UInt8(ascii: "A")
        t[Int(UInt8(ascii: "u"))] = UInt8(ascii: "a")
        return t
    }()

    /// Whether each byte is a nucleotide letter: IUPAC codes (`ACGTUNRYSWKMBDHV`) in either case.
    private static let isCode: [Bool] = {
        var t = [Bool](repeating: false, count: 256)
        for c in "ACGTUNRYSWKMBDHV".utf8 {
            t[Int(c)] = true
            t[Int(c | 0x20)] = true
        }
        return t
    }()

    /// The offset of the first byte of `bases` that is not a nucleotide letter, or nil when all are.
    public static func firstNonNucleotide(in bases: [UInt8]) -> Int? {
        bases.firstIndex { !isCode[Int($0)] }
    }

    /// Uppercases soft-masked bases in place.
    public static func uppercase(_ bases: inout [UInt8]) {
        bases.withUnsafeMutableBufferPointer { b in
            guard let base = b.baseAddress else { return }
            uppercase(base, count: b.count)
        }
    }

    /// Uppercases `count` bytes at `p`: branch-free, so the compiler vectorises it.
    static func uppercase(_ p: UnsafeMutablePointer<UInt8>, count: Int) {
        for i in 0..<count {
            let c = p[i]
            p[i] = c &- (c &- 97 < 26 ? 32 : 0)
        }
    }

    /// Reverse-complements in place (IUPAC aware: `R`<->`Y`, `K`<->`M`, `B`<->`V`, `D`<->`H`).
    public static func reverseComplement(_ bases: inout [UInt8]) {
        complement.withUnsafeBufferPointer { table in
            bases.withUnsafeMutableBufferPointer { b in
                var i = 0
                var j = b.count - 1
                while i < j {
                    let x = table[Int(b[i])]
                    b[i] = table[Int(b[j])]
                    b[j] = x
                    i += 1
                    j -= 1
                }
                if i == j { b[i] = table[Int(b[i])] }
            }
        }
    }

    /// The reverse complement of `bases`.
    public static func reverseComplemented(_ bases: [UInt8]) -> [UInt8] {
        var copy = bases
        reverseComplement(&copy)
        return copy
    }
}
