import Foundation

/// The metadata of an HDF5 file checked, from the file's bytes, before libhdf5 is given the file.
///
/// libhdf5 (1.10) trusts the lengths and offsets it decodes: an attribute message whose data is
/// longer than the message is copied past its buffer (the `memcpy` under `H5O__msg_iterate_real`;
/// one byte of damage reproduces it), and the fuzzer made `H5B_find`'s `strcmp` read a group
/// B-tree key's name past the group's local heap. Avoiding a few calls does not help:
/// every path lookup walks the B-trees and every attribute or dataset access decodes object
/// headers. Reading the model in a child process would turn a crash into a refusal but leave the
/// over-reads in place (and hide them from the fuzzer), so this walks every object reachable from
/// the root, the way libhdf5 would, and checks each structure it will decode against the file and
/// against its own declared sizes. Only the layout Keras and h5py write is accepted (superblock
/// 0/1, version 1 object headers, symbol-table groups, contiguous or compact datasets); anything
/// else is refused as unsupported rather than handed unchecked to libhdf5.
struct HDF5Structure {
    /// More objects than this (a Keras model has a few hundred) is refused.
    static let objectLimit = 100_000

    private enum Work {
        case object(UInt64)
        case symbolTable(tree: UInt64, heap: UInt64)
    }

    let path: String
    private let bytes: Data
    private var offsetSize = 8
    private var lengthSize = 8
    /// Where the superblock starts: every address in the file is relative to it.
    private var base: UInt64 = 0
    private var leafK = 4
    private var internalK = 16
    private var visited: Set<UInt64> = []
    private var visitedTrees: Set<UInt64> = []
    /// Object header continuation blocks and symbol nodes seen: each belongs to one owner, so a
    /// file cannot make the walk go over the same bytes again and again.
    private var visitedBlocks: Set<UInt64> = []
    private var visitedSymbolNodes: Set<UInt64> = []
    /// Checked local heaps by address.
    private var heaps: [UInt64: Heap] = [:]

    /// A local heap's data segment (absolute offsets), and where its last NUL ends: a name is
    /// whole when it starts before that.
    private struct Heap {
        let segment: Range<UInt64>
        let namesEnd: UInt64
    }
    private var pending: [Work] = []

    /// Checks the file at `path`, throwing a ``ModelError`` naming it at the first structure that
    /// libhdf5 could not be trusted with.
    static func validate(path: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw ModelError(.unreadable, path: path, "cannot be read (missing file or permissions)")
        }
        var structure = HDF5Structure(path: path, bytes: data)
        try structure.walk()
    }

    private init(path: String, bytes: Data) {
        self.path = path
        self.bytes = bytes
    }

    private func corrupt(_ what: String) -> ModelError {
        ModelError(.corrupt, path: path, "HDF5 \(what) is damaged (corrupt file)")
    }

    private func unsupported(_ what: String) -> ModelError {
        ModelError(
            .unsupportedFormat, path: path,
            "uses \(what), which Keras and h5py do not write and fusionai does not read")
    }

    private mutating func walk() throws {
        try superblock()
        while let work = pending.popLast() {
            switch work {
            case .object(let address): try object(at: address)
            case .symbolTable(let tree, let heap): try symbolTable(tree: tree, heap: heap)
            }
        }
    }

    // MARK: - Reading the file's bytes

    /// A little-endian unsigned integer of `width` bytes at absolute offset `at`.
    private func integer(_ at: UInt64, _ width: Int, _ what: String) throws -> UInt64 {
        guard at <= UInt64(bytes.count), UInt64(bytes.count) - at >= UInt64(width) else { throw corrupt(what) }
        let start = bytes.startIndex + Int(at)
        return (0..<width).reversed().reduce(0) { $0 << 8 | UInt64(bytes[start + $1]) }
    }

    /// The absolute offset of `size` bytes at file address `address`, all inside the file.
    private func absolute(_ address: UInt64, size: UInt64, _ what: String) throws -> UInt64 {
        let (start, overflow) = base.addingReportingOverflow(address)
        guard !overflow, start <= UInt64(bytes.count), UInt64(bytes.count) - start >= size else {
            throw corrupt(what)
        }
        return start
    }

    private func isUndefined(_ address: UInt64) -> Bool {
        address == (offsetSize == 8 ? UInt64.max : (1 << (8 * UInt64(offsetSize))) - 1)
    }

    private func signature(_ at: UInt64, _ text: String) -> Bool {
        guard at <= UInt64(bytes.count), UInt64(bytes.count) - at >= 4 else { return false }
        let start = bytes.startIndex + Int(at)
        return bytes[start..<(start + 4)].elementsEqual(text.utf8)
    }

    // MARK: - Structures

    /// The superblock, found where libhdf5 looks for it: at 0, 512, 1024, 2048, ...
    private mutating func superblock() throws {
        let magic: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]
        var at: UInt64 = 0
        while at + 8 <= UInt64(bytes.count) {
            let start = bytes.startIndex + Int(at)
            if bytes[start..<(start + 8)].elementsEqual(magic) { break }
            at = at == 0 ? 512 : at * 2
        }
        guard at + 8 <= UInt64(bytes.count) else {
            throw ModelError(.unsupportedFormat, path: path, "is not an HDF5 file (truncated, or another format)")
        }
        let version = try integer(at + 8, 1, "superblock")
        guard version <= 1 else {
            throw unsupported("HDF5 superblock version \(version) (h5py's libver='latest')")
        }
        offsetSize = Int(try integer(at + 13, 1, "superblock"))
        lengthSize = Int(try integer(at + 14, 1, "superblock"))
        guard [2, 4, 8].contains(offsetSize), [2, 4, 8].contains(lengthSize) else {
            throw corrupt("superblock (field sizes)")
        }
        leafK = Int(try integer(at + 16, 2, "superblock"))
        internalK = Int(try integer(at + 18, 2, "superblock"))
        guard leafK > 0, internalK > 0 else { throw corrupt("superblock (B-tree sizes)") }
        base = at
        let fields = at + (version == 0 ? 24 : 28)
        let o = UInt64(offsetSize)
        guard isUndefined(try integer(fields + 3 * o, offsetSize, "superblock")) else {
            throw unsupported("an HDF5 file driver (split or family files)")
        }
        let root = fields + 4 * o
        try entry(at: root, heap: nil, what: "root group entry")
    }

    /// A symbol-table entry (the superblock's root, or one in a symbol node): the object it links
    /// to, its name in the group's heap, and a cached symbol table or soft-link value.
    private mutating func entry(at start: UInt64, heap: Heap?, what: String) throws {
        let o = UInt64(offsetSize)
        let nameOffset = try integer(start, offsetSize, what)
        let header = try integer(start + o, offsetSize, what)
        let cache = try integer(start + 2 * o, 4, what)
        let scratch = start + 2 * o + 8
        if let heap { try name(at: nameOffset, in: heap, what) }
        switch cache {
        case 0, 1:
            guard !isUndefined(header) else { throw corrupt(what) }
            pending.append(.object(header))
            if cache == 1 {
                pending.append(
                    .symbolTable(
                        tree: try integer(scratch, offsetSize, what), heap: try integer(scratch + o, offsetSize, what)))
            }
        case 2:
            guard let heap else { throw corrupt(what) }
            try name(at: try integer(scratch, 4, what), in: heap, "soft link")
        default:
            throw corrupt(what)
        }
    }

    /// A version 1 object header and its continuation blocks: every message inside its block,
    /// every message libhdf5 may decode on the way to a Keras attribute or weight checked.
    private mutating func object(at address: UInt64) throws {
        guard visited.insert(address).inserted else { return }
        guard visited.count <= Self.objectLimit else {
            throw ModelError(.tooLarge, path: path, "holds more than \(Self.objectLimit) HDF5 objects")
        }
        let start = try absolute(address, size: 16, "object header")
        if signature(start, "OHDR") { throw unsupported("version 2 object headers (h5py's libver='latest')") }
        guard try integer(start, 1, "object header") == 1 else { throw corrupt("object header (version)") }
        var blocks = [(start: start + 16, size: try integer(start + 8, 4, "object header"))]
        var count = 0
        while let block = blocks.popLast() {
            count += 1
            guard count <= 1000, block.start <= UInt64(bytes.count), UInt64(bytes.count) - block.start >= block.size
            else { throw corrupt("object header block") }
            var p = block.start
            let end = block.start + block.size
            while p < end {
                // Each message: type (2), size (2), flags (1), 3 reserved, then its data, 8-aligned.
                guard end - p >= 8 else { throw corrupt("object header (a message overruns its block)") }
                let type = try integer(p, 2, "object header")
                let size = try integer(p + 2, 2, "object header")
                let flags = try integer(p + 4, 1, "object header")
                let data = p + 8
                guard size <= end - data, size % 8 == 0 else {
                    throw corrupt("object header (a message overruns its block)")
                }
                if let continuation = try message(type, flags: flags, at: data, size: size) {
                    blocks.append(continuation)
                }
                p = data + size
            }
        }
    }

    /// Checks one message; returns the block a continuation message points to.
    private mutating func message(
        _ type: UInt64, flags: UInt64, at data: UInt64, size: UInt64
    ) throws -> (start: UInt64, size: UInt64)? {
        let o = UInt64(offsetSize)
        let l = UInt64(lengthSize)
        if type != 0, flags & 0x02 != 0 { throw unsupported("shared HDF5 object header messages") }
        switch type {
        case 0x00, 0x0E, 0x12:  // padding, modification times (never decoded on our paths)
            break
        case 0x01:
            _ = try dataspace(at: data, size: size)
        case 0x03:
            _ = try datatype(at: data, size: size, depth: 0)
        case 0x04:  // old fill value: size (4) and value
            guard size >= 4, try integer(data, 4, "fill value") <= size - 4 else { throw corrupt("fill value") }
        case 0x05:
            try fillValue(at: data, size: size)
        case 0x08:
            try layout(at: data, size: size)
        case 0x0C:
            try attribute(at: data, size: size)
        case 0x10:
            guard size >= o + l else { throw corrupt("object header continuation") }
            let length = try integer(data + o, lengthSize, "object header continuation")
            let address = try integer(data, offsetSize, "object header continuation")
            guard length >= 8 else { throw corrupt("object header continuation") }
            let start = try absolute(address, size: length, "object header continuation")
            guard visitedBlocks.insert(start).inserted else { throw corrupt("object header (a block is shared)") }
            return (start, length)
        case 0x11:
            guard size >= 2 * o else { throw corrupt("symbol table message") }
            pending.append(
                .symbolTable(
                    tree: try integer(data, offsetSize, "symbol table message"),
                    heap: try integer(data + o, offsetSize, "symbol table message")))
        case 0x02...0x18:  // in the format, but not what a Keras file's objects hold
            throw unsupported("HDF5 object header message type \(type)")
        default:
            throw corrupt("object header (message type \(type))")
        }
        return nil
    }

    /// A datatype message; returns the size of one element. Only the classes a Keras file uses.
    private func datatype(at data: UInt64, size: UInt64, depth: Int) throws -> UInt64 {
        guard size >= 8, depth <= 4 else { throw corrupt("datatype") }
        let classVersion = try integer(data, 1, "datatype")
        let bits = try integer(data + 1, 3, "datatype")
        let element = try integer(data + 4, 4, "datatype")
        let properties = data + 8
        switch classVersion & 0x0F {
        case 0:  // fixed point: bit offset (2), precision (2)
            guard size >= 12, (1...16).contains(element) else { throw corrupt("integer datatype") }
            let offset = try integer(properties, 2, "datatype")
            let precision = try integer(properties + 2, 2, "datatype")
            guard precision > 0, offset + precision <= 8 * element else { throw corrupt("integer datatype") }
        case 1:  // floating point: bit offset, precision, exponent/mantissa location and size, bias
            guard size >= 20, (2...16).contains(element) else { throw corrupt("floating-point datatype") }
            let offset = try integer(properties, 2, "datatype")
            let precision = try integer(properties + 2, 2, "datatype")
            let exponent = (try integer(properties + 4, 1, "datatype"), try integer(properties + 5, 1, "datatype"))
            let mantissa = (try integer(properties + 6, 1, "datatype"), try integer(properties + 7, 1, "datatype"))
            let sign = (bits >> 8) & 0xFF
            guard precision > 0, offset + precision <= 8 * element, exponent.1 > 0, mantissa.1 > 0,
                exponent.0 + exponent.1 <= precision, mantissa.0 + mantissa.1 <= precision, sign < precision
            else { throw corrupt("floating-point datatype") }
        case 3:  // string
            guard element >= 1, element <= UInt64(HDF5File.attributeLimit) else { throw corrupt("string datatype") }
        case 5:  // opaque: a NUL-padded tag
            guard (bits & 0xFF) <= size - 8 else { throw corrupt("opaque datatype") }
        case 9:  // variable length: the base type follows
            _ = try datatype(at: properties, size: size - 8, depth: depth + 1)
            guard element == 4 + UInt64(offsetSize) + 4 else { throw corrupt("variable-length datatype") }
        default:
            throw unsupported("HDF5 datatype class \(classVersion & 0x0F)")
        }
        return element
    }

    /// A dataspace message; returns its number of elements.
    private func dataspace(at data: UInt64, size: UInt64) throws -> UInt64 {
        guard size >= 8 else { throw corrupt("dataspace") }
        let version = try integer(data, 1, "dataspace")
        let rank = try integer(data + 1, 1, "dataspace")
        let flags = try integer(data + 2, 1, "dataspace")
        guard rank <= 32 else { throw corrupt("dataspace (rank)") }
        let dims: UInt64
        switch version {
        case 1: dims = data + 8
        case 2:
            dims = data + 4
            if try integer(data + 3, 1, "dataspace") == 2 { return 0 }  // the null dataspace
        default: throw corrupt("dataspace (version)")
        }
        let l = UInt64(lengthSize)
        var needed = (dims - data) + rank * l
        if flags & 1 != 0 { needed += rank * l }
        if version == 1, flags & 2 != 0 { needed += rank * 4 }
        guard needed <= size else { throw corrupt("dataspace (dimensions overrun the message)") }
        var count: UInt64 = 1
        for i in 0..<rank {
            let (product, overflow) = count.multipliedReportingOverflow(
                by: try integer(dims + i * l, lengthSize, "dataspace"))
            guard !overflow else { throw corrupt("dataspace (its size overflows)") }
            count = product
        }
        return count
    }

    /// An attribute message (versions 1 to 3): its name, datatype, dataspace and the data their
    /// product sizes, all inside the message.
    private func attribute(at data: UInt64, size: UInt64) throws {
        guard size >= 8 else { throw corrupt("attribute") }
        let version = try integer(data, 1, "attribute")
        let flags = try integer(data + 1, 1, "attribute")
        let nameSize = try integer(data + 2, 2, "attribute")
        let typeSize = try integer(data + 4, 2, "attribute")
        let spaceSize = try integer(data + 6, 2, "attribute")
        let padded: (UInt64) -> UInt64
        var p = data + 8
        switch version {
        case 1: padded = { ($0 + 7) / 8 * 8 }
        case 2: padded = { $0 }
        case 3:
            padded = { $0 }
            p += 1  // the name's character set
        default: throw corrupt("attribute (version)")
        }
        if version >= 2, flags != 0 { throw unsupported("shared attribute datatypes") }
        let end = data + size
        guard nameSize >= 1, padded(nameSize) <= end - min(p, end) else { throw corrupt("attribute name") }
        let nameStart = bytes.startIndex + Int(p)
        guard bytes[nameStart..<(nameStart + Int(nameSize))].contains(0) else { throw corrupt("attribute name") }
        p += padded(nameSize)
        guard padded(typeSize) <= end - p else { throw corrupt("attribute datatype") }
        let element = try datatype(at: p, size: typeSize, depth: 0)
        p += padded(typeSize)
        guard padded(spaceSize) <= end - p else { throw corrupt("attribute dataspace") }
        let count = try dataspace(at: p, size: spaceSize)
        p += padded(spaceSize)
        let (total, overflow) = count.multipliedReportingOverflow(by: element)
        guard !overflow, total <= end - p else { throw corrupt("attribute (its data overruns the message)") }
    }

    /// A fill-value message: a stated value must fit in the message.
    private func fillValue(at data: UInt64, size: UInt64) throws {
        guard size >= 4 else { throw corrupt("fill value") }
        let version = try integer(data, 1, "fill value")
        let valueAt: UInt64?
        switch version {
        case 1: valueAt = data + 4
        case 2: valueAt = try integer(data + 3, 1, "fill value") != 0 ? data + 4 : nil
        case 3: valueAt = try integer(data + 1, 1, "fill value") & 0x20 != 0 ? data + 2 : nil
        default: throw corrupt("fill value (version)")
        }
        guard let valueAt else { return }
        let end = data + size
        guard end >= valueAt + 4, try integer(valueAt, 4, "fill value") <= end - valueAt - 4 else {
            throw corrupt("fill value")
        }
    }

    /// A version 3 layout message: compact data inside the message, contiguous data inside the file.
    private func layout(at data: UInt64, size: UInt64) throws {
        guard size >= 2 else { throw corrupt("dataset layout") }
        let version = try integer(data, 1, "dataset layout")
        guard version == 3 else { throw unsupported("HDF5 dataset layout version \(version)") }
        switch try integer(data + 1, 1, "dataset layout") {
        case 0:
            guard size >= 4, try integer(data + 2, 2, "dataset layout") <= size - 4 else {
                throw corrupt("dataset layout")
            }
        case 1:
            guard size >= 2 + UInt64(offsetSize + lengthSize) else { throw corrupt("dataset layout") }
            let address = try integer(data + 2, offsetSize, "dataset layout")
            let length = try integer(data + 2 + UInt64(offsetSize), lengthSize, "dataset layout")
            if !isUndefined(address) { _ = try absolute(address, size: length, "dataset (its data is past the end)") }
        case 2:
            throw unsupported("chunked HDF5 datasets (compressed or resizable weights)")
        default:
            throw corrupt("dataset layout")
        }
    }

    /// A group's symbol table: its local heap of names and its B-tree of symbol nodes.
    private mutating func symbolTable(tree: UInt64, heap: UInt64) throws {
        let names = try localHeap(at: heap)
        guard visitedTrees.insert(tree).inserted else { return }
        try groupNode(at: tree, level: nil, heap: names, depth: 0)
    }

    /// A local heap: its data segment inside the file and its free list inside the segment.
    private mutating func localHeap(at address: UInt64) throws -> Heap {
        if let known = heaps[address] { return known }
        let o = UInt64(offsetSize)
        let l = UInt64(lengthSize)
        let start = try absolute(address, size: 8 + 2 * l + o, "local heap")
        guard signature(start, "HEAP"), try integer(start + 4, 1, "local heap") == 0 else {
            throw corrupt("local heap")
        }
        let size = try integer(start + 8, lengthSize, "local heap")
        var free = try integer(start + 8 + l, lengthSize, "local heap")
        let segment = try absolute(try integer(start + 8 + 2 * l, offsetSize, "local heap"), size: size, "local heap")
        // The free list: (next, size) pairs inside the segment, ending at offset 1 (or undefined).
        // A block seen twice is a loop: refused at once, not after 100,000 steps of going round it.
        var seen: Set<UInt64> = []
        while free != 1, free != (lengthSize == 8 ? UInt64.max : (1 << (8 * l)) - 1) {
            guard seen.insert(free).inserted, seen.count <= 100_000, free <= size, size - free >= 2 * l,
                try integer(segment + free + l, lengthSize, "local heap") <= size - free
            else { throw corrupt("local heap free list") }
            free = try integer(segment + free, lengthSize, "local heap")
        }
        var namesEnd = segment
        let first = bytes.startIndex + Int(segment)
        if size > 0, let last = bytes[first..<(first + Int(size))].lastIndex(of: 0) {
            namesEnd = UInt64(last - bytes.startIndex) + 1
        }
        let heap = Heap(segment: segment..<(segment + size), namesEnd: namesEnd)
        heaps[address] = heap
        return heap
    }

    /// A name in a local heap: inside the heap's data, with its NUL before the data ends.
    private func name(at offset: UInt64, in heap: Heap, _ what: String) throws {
        guard offset < UInt64(heap.segment.count) else {
            throw corrupt("\(what) (its name is outside the group's heap)")
        }
        guard heap.segment.lowerBound + offset < heap.namesEnd else {
            throw corrupt("\(what) (its name runs past the group's heap)")
        }
    }

    /// A node of a group's B-tree (version 1, type 0): every key a name in the heap, every child a
    /// node one level down or, at level 0, a symbol node.
    private mutating func groupNode(at address: UInt64, level: UInt64?, heap: Heap, depth: Int) throws {
        guard depth <= 64, !isUndefined(address) else { throw corrupt("group B-tree") }
        let o = UInt64(offsetSize)
        let l = UInt64(lengthSize)
        let twoK = 2 * UInt64(internalK)
        // libhdf5 reads a node's full size, whatever number of entries it holds.
        let start = try absolute(address, size: 8 + 2 * o + (twoK + 1) * l + twoK * o, "group B-tree node")
        guard signature(start, "TREE"), try integer(start + 4, 1, "group B-tree") == 0 else {
            throw corrupt("group B-tree node")
        }
        let nodeLevel = try integer(start + 5, 1, "group B-tree")
        let used = try integer(start + 6, 2, "group B-tree")
        guard used <= twoK, level.map({ $0 == nodeLevel }) ?? true else { throw corrupt("group B-tree node") }
        let entries = start + 8 + 2 * o
        for i in 0...used {
            try name(at: try integer(entries + i * (l + o), lengthSize, "group B-tree"), in: heap, "group B-tree key")
        }
        for i in 0..<used {
            let child = try integer(entries + i * (l + o) + l, offsetSize, "group B-tree")
            if nodeLevel > 0 {
                guard visitedTrees.insert(child).inserted else { throw corrupt("group B-tree (a node is shared)") }
                try groupNode(at: child, level: nodeLevel - 1, heap: heap, depth: depth + 1)
            } else {
                try symbolNode(at: child, heap: heap)
            }
        }
    }

    /// A symbol node: its entries, each a name in the heap and a link to an object.
    private mutating func symbolNode(at address: UInt64, heap: Heap) throws {
        let entrySize = 2 * UInt64(offsetSize) + 24
        let twoK = 2 * UInt64(leafK)
        guard !isUndefined(address), visitedSymbolNodes.insert(address).inserted else { throw corrupt("symbol node") }
        let start = try absolute(address, size: 8 + twoK * entrySize, "symbol node")
        guard signature(start, "SNOD"), try integer(start + 4, 1, "symbol node") == 1 else {
            throw corrupt("symbol node")
        }
        let count = try integer(start + 6, 2, "symbol node")
        guard count <= twoK else { throw corrupt("symbol node") }
        for i in 0..<count {
            try entry(at: start + 8 + i * entrySize, heap: heap, what: "symbol table entry")
        }
    }
}
