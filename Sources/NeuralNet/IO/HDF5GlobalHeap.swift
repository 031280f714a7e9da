import CHDF5
import Foundation

/// Variable-length strings read without libhdf5's global-heap code.
///
/// A variable-length string attribute stores, per element, a reference into a global heap
/// collection: its length, the collection's address and the object's index. libhdf5 (1.10) trusts
/// all three: a damaged index reads past its object table, an object larger than the stated length
/// is copied over the buffer sized from that length (the `memcpy` in `H5HG_read`), and a zero-sized
/// object makes it loop for ever while it parses the collection. So libhdf5 only hands us the raw
/// references (through a conversion to an opaque type that copies nothing), and the strings are read
/// here, from the file's bytes, with every length checked against the collection and the file.
struct HDF5GlobalHeap {
    /// One element of a variable-length attribute as stored in the file.
    struct Reference {
        /// The string's length in bytes.
        let length: UInt64
        /// The collection's address, relative to the file's base address.
        let address: UInt64
        /// The object's index within the collection (0 is free space, never a string).
        let index: UInt64
    }

    /// The field widths and base address the file's superblock declares.
    struct Layout {
        let offsetSize: Int
        let lengthSize: Int
        let baseAddress: UInt64

        /// One stored reference: a 4-byte length, an address and a 4-byte index.
        var referenceSize: Int { 8 + offsetSize }
    }

    let path: String
    let layout: Layout
    /// Strings longer than this, and collections larger than this plus their headers, are refused.
    let limit: Int

    /// The opaque memory type a variable-length string attribute is read into to get its raw
    /// references (see `rawReferences`).
    static func referenceType(size: Int) -> hid_t {
        _ = conversionRegistered
        let type = H5Tcreate(H5T_OPAQUE, size)
        H5Tset_tag(type, "fusionai.vlen-reference")
        return type
    }

    /// A conversion from a variable-length string to an opaque type of the same size that leaves the
    /// file's bytes in place: the references as stored, never dereferenced by libhdf5.
    private static let conversionRegistered: Bool = {
        let keepBytes: H5T_conv_t = { source, destination, data, _, _, _, _, _, _ in
            guard let data, data.pointee.command == H5T_CONV_INIT else { return 0 }
            data.pointee.need_bkg = H5T_BKG_NO
            let applies =
                H5Tis_variable_str(source) > 0 && H5Tget_class(destination) == H5T_OPAQUE
                && H5Tget_size(source) == H5Tget_size(destination)
            return applies ? 0 : -1
        }
        let source = H5Tcopy(fusionai_H5T_C_S1())
        H5Tset_size(source, fusionai_H5T_VARIABLE())
        let destination = H5Tcreate(H5T_OPAQUE, 16)
        H5Tset_tag(destination, "fusionai.vlen-reference")
        defer {
            H5Tclose(source)
            H5Tclose(destination)
        }
        return H5Tregister(H5T_PERS_SOFT, "fusionai vlen references", source, destination, keepBytes) >= 0
    }()

    /// Splits the raw bytes of `count` stored references.
    func references(_ bytes: [UInt8], count: Int) throws -> [Reference] {
        guard bytes.count == count * layout.referenceSize else {
            throw ModelError(.corrupt, path: path, "variable-length strings are stored with an unexpected width")
        }
        return (0..<count).map { i in
            let start = i * layout.referenceSize
            return Reference(
                length: Self.integer(bytes, at: start, width: 4),
                address: Self.integer(bytes, at: start + 4, width: layout.offsetSize),
                index: Self.integer(bytes, at: start + 4 + layout.offsetSize, width: 4))
        }
    }

    /// The string a reference points to; "" for an empty one (HDF5 stores no object for it).
    func string(_ reference: Reference, file: FileHandle, fileSize: UInt64) throws -> String {
        if reference.length == 0 || reference.address == 0 { return "" }
        guard reference.length <= limit else {
            throw ModelError(.tooLarge, path: path, "a variable-length string of \(reference.length) bytes")
        }
        let collection = try read(collectionAt: reference.address, file: file, fileSize: fileSize)
        guard let object = try object(reference.index, in: collection), object.count == reference.length else {
            throw ModelError(
                .corrupt, path: path,
                "a variable-length string points at a missing or mis-sized global heap object (corrupt file)")
        }
        return String(decoding: object.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// The whole collection at `address`, after its signature, version and size are checked.
    private func read(collectionAt address: UInt64, file: FileHandle, fileSize: UInt64) throws -> [UInt8] {
        let corrupt = ModelError(.corrupt, path: path, "a global heap collection is damaged (corrupt file)")
        let headerSize = 8 + layout.lengthSize
        let (start, overflow) = layout.baseAddress.addingReportingOverflow(address)
        guard !overflow, start < fileSize, fileSize - start >= UInt64(headerSize) else { throw corrupt }
        try file.seek(toOffset: start)
        let header = [UInt8](try file.read(upToCount: headerSize) ?? Data())
        guard header.count == headerSize, header.prefix(5).elementsEqual(Array("GCOL".utf8) + [1]) else {
            throw corrupt
        }
        let size = Self.integer(header, at: 8, width: layout.lengthSize)
        guard size >= UInt64(headerSize), size <= fileSize - start, size <= UInt64(limit) + (1 << 16) else {
            throw corrupt
        }
        let collection = [UInt8](try file.read(upToCount: Int(size) - headerSize) ?? Data())
        guard collection.count == Int(size) - headerSize else { throw corrupt }
        return collection
    }

    /// Walks the collection's objects the way libhdf5 does, refusing any that overruns the collection
    /// or does not advance, and returns object `index`'s bytes (nil when there is none).
    private func object(_ index: UInt64, in objects: [UInt8]) throws -> ArraySlice<UInt8>? {
        let headerSize = 8 + layout.lengthSize
        var found: ArraySlice<UInt8>?
        var position = 0
        while objects.count - position >= headerSize {
            let id = Self.integer(objects, at: position, width: 2)
            let size = Self.integer(objects, at: position + 8, width: layout.lengthSize)
            let room = UInt64(objects.count - position)
            guard size <= room else {
                throw ModelError(.corrupt, path: path, "a global heap object overruns its collection (corrupt file)")
            }
            // Object 0 is the free space, its size counting its own header; others are padded to 8.
            let needed = id == 0 ? size : UInt64(headerSize) + (size + 7) / 8 * 8
            guard needed >= UInt64(headerSize), needed <= room else {
                throw ModelError(.corrupt, path: path, "a global heap object overruns its collection (corrupt file)")
            }
            if id == index, id != 0 { found = objects[(position + headerSize)..<(position + headerSize + Int(size))] }
            position += Int(needed)
        }
        return found
    }

    /// A little-endian unsigned integer of `width` bytes (at most 8).
    private static func integer(_ bytes: [UInt8], at start: Int, width: Int) -> UInt64 {
        bytes[start..<(start + width)].reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }
}
