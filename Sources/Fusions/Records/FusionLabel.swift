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
        default:
            // numpy writes 1.000000000000000000e+00; "nan", "inf" and hex "0x1" are not labels.
            guard text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
                let value = Double(text), value == 0 || value == 1
            else { return nil }
            return Int(value)
        }
    }

    /// How to write a label, for the errors that refuse one.
    public static let accepted = "0 or 1 (also 0.0/1.0 or TRUE/FALSE)"
}
