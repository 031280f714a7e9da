import CHDF5
import Foundation

/// Read access to an HDF5 file through libhdf5, with every size the file states checked before it
/// sizes an allocation: a truncated or hostile file is a ``ModelError``, never a crash.
final class HDF5File {
    let path: String
    private let id: hid_t
    /// The file's own bytes, for what libhdf5 cannot be trusted to read (see ``HDF5GlobalHeap``).
    private let handle: FileHandle
    private let fileSize: UInt64
    private let heap: HDF5GlobalHeap
    /// Attributes longer than this are refused (a Keras `model_config` is a few kilobytes).
    static let attributeLimit = 64 << 20

    init(path: String) throws {
        self.path = path
        // libhdf5 prints its error stack to stderr by default; our errors say what matters.
        H5Eset_auto2(fusionai_H5E_DEFAULT(), nil, nil)
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ModelError(.unreadable, path: path, "cannot be read (missing file or permissions)")
        }
        // libhdf5 trusts the sizes and offsets in the file's metadata: they are all checked first.
        try HDF5Structure.validate(path: path)
        let id = H5Fopen(path, fusionai_H5F_ACC_RDONLY(), fusionai_H5P_DEFAULT())
        guard id >= 0 else {
            throw ModelError(.corrupt, path: path, "HDF5 file cannot be opened (truncated or corrupt)")
        }
        self.id = id
        heap = try Self.globalHeap(of: id, path: path)
        guard let handle = FileHandle(forReadingAtPath: path), let size = try? handle.seekToEnd() else {
            H5Fclose(id)
            throw ModelError(.unreadable, path: path, "cannot be read (missing file or permissions)")
        }
        self.handle = handle
        fileSize = size
    }

    deinit {
        H5Fclose(id)
        try? handle.close()
    }

    /// The superblock's field widths and base address, which the global heap's references use.
    private static func globalHeap(of id: hid_t, path: String) throws -> HDF5GlobalHeap {
        let properties = H5Fget_create_plist(id)
        defer { H5Pclose(properties) }
        var offsetSize = 0
        var lengthSize = 0
        var userBlock: hsize_t = 0
        guard H5Pget_sizes(properties, &offsetSize, &lengthSize) >= 0, H5Pget_userblock(properties, &userBlock) >= 0,
            [2, 4, 8].contains(offsetSize), [2, 4, 8].contains(lengthSize)
        else {
            H5Fclose(id)
            throw ModelError(.corrupt, path: path, "HDF5 superblock declares unusable field sizes")
        }
        return HDF5GlobalHeap(
            path: path, layout: .init(offsetSize: offsetSize, lengthSize: lengthSize, baseAddress: userBlock),
            limit: attributeLimit)
    }

    /// Whether an object exists at `objectPath` (every intermediate group checked first, as HDF5 requires).
    func exists(_ objectPath: String) -> Bool {
        var prefix = ""
        for part in objectPath.split(separator: "/") {
            prefix += "/" + part
            guard H5Lexists(id, prefix, fusionai_H5P_DEFAULT()) > 0 else { return false }
        }
        return true
    }

    /// The names of the links in a group, in name order.
    func children(of group: String) throws -> [String] {
        guard let g = Optional(H5Gopen2(id, group, fusionai_H5P_DEFAULT())), g >= 0 else {
            throw ModelError(.corrupt, path: path, "has no group '\(group)'")
        }
        defer { H5Gclose(g) }
        var info = H5G_info_t()
        guard H5Gget_info(g, &info) >= 0, info.nlinks < 1_000_000 else {
            throw ModelError(.corrupt, path: path, "group '\(group)' cannot be listed")
        }
        return try (0..<info.nlinks).map { i in
            let size = H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, nil, 0, fusionai_H5P_DEFAULT())
            guard size >= 0, size < 65_536 else {
                throw ModelError(.corrupt, path: path, "group '\(group)' has an unreadable entry")
            }
            var buffer = [CChar](repeating: 0, count: size + 1)
            H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, &buffer, size + 1, fusionai_H5P_DEFAULT())
            return String(decoding: buffer.prefix(size).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// A string attribute (scalar or one-element), fixed- or variable-length; nil when absent.
    func string(attribute name: String, of object: String = "/") throws -> String? {
        try strings(attribute: name, of: object)?.first
    }

    /// A string or string-array attribute, fixed- or variable-length; nil when absent.
    func strings(attribute name: String, of object: String = "/") throws -> [String]? {
        guard H5Aexists_by_name(id, object, name, fusionai_H5P_DEFAULT()) > 0 else { return nil }
        let attribute = H5Aopen_by_name(id, object, name, fusionai_H5P_DEFAULT(), fusionai_H5P_DEFAULT())
        guard attribute >= 0 else {
            throw ModelError(.corrupt, path: path, "attribute '\(name)' of '\(object)' cannot be opened")
        }
        defer { H5Aclose(attribute) }
        let type = H5Aget_type(attribute)
        let space = H5Aget_space(attribute)
        defer {
            H5Tclose(type)
            H5Sclose(space)
        }
        let count = Int(H5Sget_simple_extent_npoints(space))
        guard count >= 0, count <= 1_000_000 else {
            throw ModelError(.tooLarge, path: path, "attribute '\(name)' has an absurd size")
        }
        // h5py writes an empty list (a layer without weights) as a float64 array of shape (0,).
        if count == 0 { return [] }
        guard H5Tget_class(type) == H5T_STRING else {
            throw ModelError(.corrupt, path: path, "attribute '\(name)' of '\(object)' is not a string")
        }

        if H5Tis_variable_str(type) > 0 {
            // Only the stored references come from libhdf5; the strings are read by HDF5GlobalHeap.
            let referenceType = HDF5GlobalHeap.referenceType(size: heap.layout.referenceSize)
            defer { H5Tclose(referenceType) }
            var raw = [UInt8](repeating: 0, count: count * heap.layout.referenceSize)
            guard H5Aget_storage_size(attribute) == hsize_t(raw.count), H5Aread(attribute, referenceType, &raw) >= 0
            else {
                throw ModelError(.corrupt, path: path, "attribute '\(name)' cannot be read (corrupt file?)")
            }
            return try heap.references(raw, count: count).map {
                try heap.string($0, file: handle, fileSize: fileSize)
            }
        }
        let memory = H5Tcopy(fusionai_H5T_C_S1())
        defer { H5Tclose(memory) }
        H5Tset_cset(memory, H5Tget_cset(type))
        let size = H5Tget_size(type)
        let total = size.multipliedReportingOverflow(by: count)
        guard size > 0, !total.overflow, total.partialValue <= Self.attributeLimit else {
            throw ModelError(.tooLarge, path: path, "attribute '\(name)' is too large")
        }
        guard H5Aget_storage_size(attribute) == hsize_t(total.partialValue) else {
            throw ModelError(.corrupt, path: path, "attribute '\(name)' is stored with the wrong size (corrupt file)")
        }
        H5Tset_size(memory, size)
        // Keep the file's padding: a NULLTERM memory type would give up the last byte of a
        // NULLPAD name that fills its whole width (`conv2d_1/kernel:0` in 17 bytes).
        H5Tset_strpad(memory, H5Tget_strpad(type))
        var buffer = [UInt8](repeating: 0, count: size * count)
        guard H5Aread(attribute, memory, &buffer) >= 0 else {
            throw ModelError(.corrupt, path: path, "attribute '\(name)' cannot be read (corrupt file?)")
        }
        return (0..<count).map { i in
            let bytes = buffer[(i * size)..<((i + 1) * size)]
            return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// A list attribute that Keras may have split into `name0`, `name1`, ... when it outgrew an
    /// HDF5 object header (64 KiB); nil when neither form is present.
    func chunkedStrings(attribute name: String, of object: String) throws -> [String]? {
        if let whole = try strings(attribute: name, of: object) { return whole }
        var parts: [String] = []
        var i = 0
        while let chunk = try strings(attribute: "\(name)\(i)", of: object) {
            parts += chunk
            i += 1
        }
        return i == 0 ? nil : parts
    }

    /// Reads a floating-point dataset, which must have `expected` shape (known from the model's
    /// configuration): a file cannot make us allocate more than the configuration asks for.
    func floats(_ datasetPath: String, expected: [Int]) throws -> Tensor {
        let dataset = try open(datasetPath)
        defer { H5Dclose(dataset) }
        let found = try shape(dataset, datasetPath)
        guard found == expected else {
            throw ModelError(
                .shapeMismatch, path: path, "weight '\(datasetPath)' has shape \(found), the layer needs \(expected)")
        }
        let type = H5Dget_type(dataset)
        defer { H5Tclose(type) }
        guard H5Tget_class(type) == H5T_FLOAT else {
            throw ModelError(.unsupportedFormat, path: path, "weight '\(datasetPath)' is not floating point")
        }
        // Nothing is allocated for a weight the file does not hold in full: a declared shape is only
        // believed when the dataset's stored bytes, inside the file, are that many values.
        let count = ModelLimits.count(expected) ?? Int.max
        let (bytes, overflow) = count.multipliedReportingOverflow(by: H5Tget_size(type))
        guard !overflow, UInt64(bytes) <= fileSize, H5Dget_storage_size(dataset) == hsize_t(bytes) else {
            throw ModelError(
                .corrupt, path: path,
                "weight '\(datasetPath)' of shape \(expected) is not stored in full (truncated or corrupt file)")
        }
        var values = [Float](repeating: 0, count: count)
        guard
            H5Dread(
                dataset, fusionai_H5T_NATIVE_FLOAT(), fusionai_H5S_ALL(), fusionai_H5S_ALL(), fusionai_H5P_DEFAULT(),
                &values) >= 0
        else {
            throw ModelError(.corrupt, path: path, "weight '\(datasetPath)' cannot be read (truncated or corrupt file)")
        }
        guard values.allSatisfy(\.isFinite) else {
            throw ModelError(.corrupt, path: path, "weight '\(datasetPath)' holds NaN or infinite values")
        }
        return Tensor(shape: expected, data: values)
    }

    private func open(_ datasetPath: String) throws -> hid_t {
        guard exists(datasetPath) else {
            throw ModelError(.missingWeight, path: path, "has no dataset '\(datasetPath)'")
        }
        let dataset = H5Dopen2(id, datasetPath, fusionai_H5P_DEFAULT())
        guard dataset >= 0 else { throw ModelError(.corrupt, path: path, "'\(datasetPath)' is not a readable dataset") }
        return dataset
    }

    private func shape(_ dataset: hid_t, _ datasetPath: String) throws -> [Int] {
        let space = H5Dget_space(dataset)
        defer { H5Sclose(space) }
        let rank = Int(H5Sget_simple_extent_ndims(space))
        guard rank >= 0, rank <= 8 else {
            throw ModelError(.corrupt, path: path, "dataset '\(datasetPath)' has rank \(rank)")
        }
        var dims = [hsize_t](repeating: 0, count: max(rank, 1))
        H5Sget_simple_extent_dims(space, &dims, nil)
        return dims.prefix(rank).map { Int(clamping: $0) }
    }
}
