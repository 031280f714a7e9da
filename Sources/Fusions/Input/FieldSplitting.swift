import Genome

extension String {
    /// This line's fields between `separator` bytes (empty fields kept).
    func fields(separatedBy separator: UInt8) -> [Substring] {
        // One pass over the contiguous bytes, one index step per field: walking Characters (grapheme
        // breaking) or String indexes byte by byte was most of a row's reading time. An ASCII
        // separator never falls inside a character, so the slices are whole characters.
        let bytes = utf8
        var fields: [Substring] = []
        var start = bytes.startIndex
        var previous = 0
        let scanned: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            fields.reserveCapacity(32)
            for offset in buffer.indices where buffer[offset] == separator {
                let end = bytes.index(start, offsetBy: offset - previous)
                fields.append(Substring(bytes[start..<end]))
                start = bytes.index(after: end)
                previous = offset + 1
            }
        }
        if scanned == nil {
            // Not contiguous (a bridged string): plain index walking.
            var index = bytes.startIndex
            while index != bytes.endIndex {
                if bytes[index] == separator {
                    fields.append(Substring(bytes[start..<index]))
                    start = bytes.index(after: index)
                }
                index = bytes.index(after: index)
            }
        }
        fields.append(Substring(bytes[start...]))
        return fields
    }

    /// This line's fields between `separator` bytes, CSV-style: a field wrapped in double quotes may
    /// hold the separator, and `""` inside it is one quote (R's `write.csv`, which JAFFA uses, quotes
    /// every text field). An unclosed quote runs to the end of the line. Empty fields are kept.
    func quotedFields(separatedBy separator: UInt8) -> [Substring] {
        let quote = UInt8(ascii: "\"")
        let bytes = Array(utf8)
        guard bytes.contains(quote) else { return fields(separatedBy: separator) }
        var fields: [Substring] = []
        var i = 0
        while true {
            if i < bytes.count, bytes[i] == quote {
                var value: [UInt8] = []
                i += 1
                while i < bytes.count {
                    if bytes[i] == quote {
                        if i + 1 < bytes.count, bytes[i + 1] == quote {
                            value.append(quote)
                            i += 2
                            continue
                        }
                        i += 1
                        break
                    }
                    value.append(bytes[i])
                    i += 1
                }
                // Text between the closing quote and the next separator is kept, as spreadsheets do.
                while i < bytes.count, bytes[i] != separator {
                    value.append(bytes[i])
                    i += 1
                }
                fields.append(Substring(String(decoding: value, as: UTF8.self)))
            } else {
                let start = i
                while i < bytes.count, bytes[i] != separator { i += 1 }
                fields.append(Substring(String(decoding: bytes[start..<i], as: UTF8.self)))
            }
            guard i < bytes.count else { break }
            i += 1  // past the separator; a separator at the very end leaves one empty field
            if i == bytes.count {
                fields.append("")
                break
            }
        }
        return fields
    }
}

extension Substring {
    /// A positive 1-based genome position, or nil.
    var genomePosition: Int? {
        guard let v = Int(self), v > 0, v <= ChromosomeInfo.largestPosition else { return nil }
        return v
    }

    /// This text without leading and trailing spaces and tabs.
    var trimmingBlanks: Substring {
        // Bytes, not Characters: this runs on every field of every row.
        let bytes = utf8
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start != end, bytes[start] == 32 || bytes[start] == 9 { start = bytes.index(after: start) }
        while start != end {
            let last = bytes.index(before: end)
            guard bytes[last] == 32 || bytes[last] == 9 else { break }
            end = last
        }
        return start == bytes.startIndex && end == bytes.endIndex ? self : Substring(bytes[start..<end])
    }

    /// The index of the last `byte` (an ASCII separator such as `:`), or nil.
    func lastIndex(ofByte byte: UInt8) -> Index? {
        utf8.lastIndex(of: byte)
    }
}
