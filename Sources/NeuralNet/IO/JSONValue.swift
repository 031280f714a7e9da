/// Any JSON value, for reading configurations whose shape varies between writers (Keras 2 and 3).
enum JSONValue: Decodable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Double.self) {
            self = .number(n)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }
    var array: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }
    var bool: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }
    var isNull: Bool { self == .null }

    /// A whole number (JSON numbers arrive as doubles); nil for fractions and out-of-range values.
    var int: Int? {
        guard case .number(let d) = self, d.rounded() == d, abs(d) < 1e15 else { return nil }
        return Int(d)
    }

    var double: Double? {
        if case .number(let d) = self { return d }
        return nil
    }

    /// An int, or a list of ints (Keras writes `kernel_size` either way).
    var ints: [Int]? {
        if let i = int { return [i] }
        guard let a = array else { return nil }
        let values = a.compactMap(\.int)
        return values.count == a.count ? values : nil
    }
}
