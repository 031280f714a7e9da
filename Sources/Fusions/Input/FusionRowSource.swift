/// What ``PrepareJob`` reads rows from: one file (``FusionReader``) or several (``MultiFusionReader``).
public protocol FusionRowSource: AnyObject {
    /// The next row's result, or nil at the end of the input.
    /// - Throws: ``TextFileError`` on a read error or binary data.
    func next() throws -> RowResult?
    /// The file reader of the row last returned (its path, format, header and text).
    var current: FusionReader { get }
    /// Whether rows come from several files, so outputs name each row's file.
    var isMultiple: Bool { get }
    /// Strands filled in from the annotation so far, over every file.
    var strandsFromAnnotation: Int { get }
    /// How far through the input reading is, 0...1; nil when unknown.
    var fractionRead: Double? { get }
}

extension FusionReader: FusionRowSource {
    public var current: FusionReader { self }
    public var isMultiple: Bool { false }
}
