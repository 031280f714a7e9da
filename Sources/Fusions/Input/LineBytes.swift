import Genome

/// Byte-level reading of one line, for rows whose values are plain ASCII: no String, Substring or
/// array is made per row or field. Each helper answers nil (or false) for anything it does not
/// read exactly as the String-based path does (``String/fields(separatedBy:)``, ``Row``); such a
/// row is then read by that path, which gives the same answer for the plain rows.
struct LineBytes {
    let bytes: UnsafeBufferPointer<UInt8>

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Sets `ranges` to the first `count` fields between `separator` bytes (empty fields kept; the
    /// last one runs to the next separator or the line end). False when the line has fewer fields.
    func fields(_ count: Int, separator: UInt8, into ranges: inout [Range<Int>]) -> Bool {
        ranges.removeAll(keepingCapacity: true)
        var start = 0
        var i = 0
        while ranges.count < count {
            while i < bytes.count, bytes[i] != separator { i += 1 }
            ranges.append(start..<i)
            guard i < bytes.count else { break }
            i += 1
            start = i
        }
        return ranges.count == count
    }

    /// `range` without leading and trailing spaces and tabs (``Substring/trimmingBlanks``).
    func trimmed(_ range: Range<Int>) -> Range<Int> {
        var start = range.lowerBound
        var end = range.upperBound
        while start < end, bytes[start] == 32 || bytes[start] == 9 { start += 1 }
        while start < end, bytes[end - 1] == 32 || bytes[end - 1] == 9 { end -= 1 }
        return start..<end
    }

    /// Whether every byte of `range` is ASCII, so its text is the same bytes whatever the rest of the
    /// line holds (decoding repairs invalid UTF-8, and Strings compare by canonical equivalence).
    func isASCII(_ range: Range<Int>) -> Bool {
        for i in range where bytes[i] >= 0x80 { return false }
        return true
    }

    /// The last `byte` in `range`, or nil.
    func lastIndex(of byte: UInt8, in range: Range<Int>) -> Int? {
        var i = range.upperBound
        while i > range.lowerBound {
            i -= 1
            if bytes[i] == byte { return i }
        }
        return nil
    }

    /// The first `byte` in `range`, or nil.
    func firstIndex(of byte: UInt8, in range: Range<Int>) -> Int? {
        for i in range where bytes[i] == byte { return i }
        return nil
    }

    /// The whole number written in `range` with digits alone (leading zeros allowed), or nil: an empty
    /// range, a sign, any other byte, or more than 18 digits (which `Int` might not hold) are left
    /// to `Int(_:)`.
    func digits(_ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count <= 18 else { return nil }
        var value = 0
        for i in range {
            let digit = bytes[i] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    /// A strand byte (`+`, `-` or `.`) when `range` is exactly one, else nil.
    func strand(_ range: Range<Int>) -> UInt8? {
        guard range.count == 1 else { return nil }
        let byte = bytes[range.lowerBound]
        return byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") ? byte : nil
    }

    /// Whether `range`'s bytes are `text`'s UTF-8.
    func equals(_ range: Range<Int>, _ text: [UInt8]) -> Bool {
        guard range.count == text.count else { return false }
        var j = 0
        for i in range {
            guard bytes[i] == text[j] else { return false }
            j += 1
        }
        return true
    }

    /// Appends `range`'s bytes to `out`.
    func append(_ range: Range<Int>, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[range]))
    }
}

extension Array where Element == UInt8 {
    /// Appends `value` in decimal, as `String(value)` writes it.
    mutating func appendDecimal(_ value: Int) {
        guard value > 0 else {
            append(contentsOf: String(value).utf8)
            return
        }
        // Most significant digit first: reversing digits in place (`self[start...].reverse()`) copied
        // the array's tail on every call.
        var unit = 1
        while unit <= value / 10 { unit *= 10 }
        while unit > 0 {
            append(UInt8(ascii: "0") + UInt8(value / unit % 10))
            unit /= 10
        }
    }
}
