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
        // The header is at most 4 GB by the format, in practice under a kilobyte: copy only it.
        let bytes = [UInt8](data.prefix(1 << 16))
        guard bytes.count >= 10, bytes[0] == 0x93, Swift.Array(bytes[1..<6]) == Swift.Array("NUMPY".utf8) else {
            throw SeqletsError(.badArray, path: path, "is not a NumPy .npy file")
        }
        // Version 1 keeps the header length in 2 bytes, versions 2 and 3 in 4.
        let wide = bytes[6] >= 2
        let lengthBytes = wide ? 4 : 2
        guard bytes.count >= 8 + lengthBytes else { throw SeqletsError(.badArray, path: path, "is truncated") }
        let headerLength = (0..<lengthBytes).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
        let dataStart = 8 + lengthBytes + headerLength
        guard dataStart <= bytes.count else {
            throw SeqletsError(.badArray, path: path, "is truncated or has an oversized header")
        }
        let header = String(decoding: bytes[(8 + lengthBytes)..<dataStart], as: UTF8.self)
        guard header.contains("'descr': '<f4'"), header.contains("'fortran_order': False"),
            let shape = Self.shape(header)
        else {
            throw SeqletsError(.badArray, path: path, "is not a C-ordered little-endian float32 array")
        }
        // The file's size bounds the shape: a damaged header may claim any product.
        let available = (data.count - dataStart) / 4
        let count = shape.reduce(1) { product, n in
            let (value, overflow) = product.multipliedReportingOverflow(by: n)
            return overflow || value > available ? available + 1 : value
        }
        guard count <= available else {
            throw SeqletsError(
                .badArray, path: path, "holds \(data.count - dataStart) data bytes, too few for shape \(shape)")
        }
        guard data.count - dataStart == 4 * count else {
            throw SeqletsError(
                .badArray, path: path,
                "holds \(data.count - dataStart) data bytes, not \(4 * count) for shape \(shape)")
        }
        let values = data.withUnsafeBytes { raw in
            (0..<count).map { i in
                let bits = raw.loadUnaligned(fromByteOffset: dataStart + 4 * i, as: UInt32.self)
                return Float(bitPattern: UInt32(littleEndian: bits))
            }
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
