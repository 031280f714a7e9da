/// A 0/1 class label as the tables people hand us write one.
///
/// Accepted: `0`/`1`; the same as floats (`0.0`, `1.0`: numpy and pandas write labels so); and the
/// booleans `TRUE`/`FALSE` (R) or `True`/`False` (pandas), in any case. Anything else is refused, not
/// guessed: `yes`, `2` or `0.7` read as a class would train or evaluate on made-up labels.
public enum FusionLabel {
    /// The label `text` stands for (0 or 1), or nil when it is not one.
    public static func parse<Text: StringProtocol>(_ text: Text) -> Int? {
        switch text.lowercased() {
        case "true": return 1
        case "false": return 0
        default: return number(Substring(text))
        }
    }

    /// `0` or `1`, then any zeros after a point, then an exponent that leaves the value as it is
    /// (numpy writes `1.000000000000000000e+00`). Read from the text, not through `Double`, which
    /// would round `0.99999999999999999` to 1 and `1e-400` to 0.
    private static func number(_ text: Substring) -> Int? {
        let zero = UInt8(ascii: "0")
        var bytes = Array(text.utf8)[...]
        if bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        guard let digit = bytes.first, digit == zero || digit == zero + 1 else { return nil }
        bytes = bytes.dropFirst()
        if bytes.first == UInt8(ascii: ".") { bytes = bytes.dropFirst().drop { $0 == zero } }
        if let e = bytes.first, e | 0x20 == UInt8(ascii: "e") {
            var exponent = bytes.dropFirst()
            if let sign = exponent.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                exponent = exponent.dropFirst()
            }
            // 0 times any power of ten is 0; 1 is 1 only times 10^0.
            guard !exponent.isEmpty, exponent.allSatisfy({ (zero...zero + 9).contains($0) }),
                digit == zero || exponent.allSatisfy({ $0 == zero })
            else { return nil }
            bytes = []
        }
        return bytes.isEmpty ? Int(digit - zero) : nil
    }

    /// How to write a label, for the errors that refuse one.
    public static let accepted = "0 or 1 (also 0.0/1.0 or TRUE/FALSE)"
}
