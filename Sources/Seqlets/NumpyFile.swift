import Foundation

/// Reads the float32 arrays `explain` writes (`.npy` version 1.0 or 2.0, `<f4`, C order): the values
/// and the shape the header states.
enum NumpyFile {
    struct Array: Sendable {
        let shape: [Int]
        let values: [Float]
    }

    /// - Throws: ``SeqletsError/Code/badArray`` naming the file and what is wrong with it.
    static func readFloat32(_ path: String) throws -> Array {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SeqletsError(.badArray, path: path, "cannot be read: give the folder `fusionai explain -o` wrote")
        }
        let bytes = [UInt8](data)
        guard bytes.count >= 10, bytes[0] == 0x93, Swift.Array(bytes[1..<6]) == Swift.Array("NUMPY".utf8) else {
            throw SeqletsError(.badArray, path: path, "is not a NumPy .npy file")
        }
        // Version 1 keeps the header length in 2 bytes, versions 2 and 3 in 4.
        let wide = bytes[6] >= 2
        let lengthBytes = wide ? 4 : 2
        guard bytes.count >= 8 + lengthBytes else { throw SeqletsError(.badArray, path: path, "is truncated") }
        let headerLength = (0..<lengthBytes).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
        let dataStart = 8 + lengthBytes + headerLength
        guard dataStart <= bytes.count else { throw SeqletsError(.badArray, path: path, "is truncated") }
        let header = String(decoding: bytes[(8 + lengthBytes)..<dataStart], as: UTF8.self)
        guard header.contains("'descr': '<f4'"), header.contains("'fortran_order': False"),
            let shape = Self.shape(header)
        else {
            throw SeqletsError(.badArray, path: path, "is not a C-ordered little-endian float32 array")
        }
        let count = shape.reduce(1, *)
        guard bytes.count - dataStart == 4 * count else {
            throw SeqletsError(
                .badArray, path: path,
                "holds \(bytes.count - dataStart) data bytes, not \(4 * count) for shape \(shape)")
        }
        let values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count {
                let o = dataStart + 4 * i
                let bits =
                    UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3])
                    << 24
                buffer[i] = Float(bitPattern: bits)
            }
            initialized = count
        }
        return Array(shape: shape, values: values)
    }

    /// The integers of the header's `'shape': (a, b)` tuple.
    private static func shape(_ header: String) -> [Int]? {
        guard let key = header.range(of: "'shape': ("), let close = header[key.upperBound...].firstIndex(of: ")")
        else { return nil }
        let inside = header[key.upperBound..<close]
        let dims = inside.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let values = dims.compactMap { Int($0) }
        return values.count == dims.count && !values.isEmpty && values.allSatisfy({ $0 >= 0 }) ? values : nil
    }
}
