/// A fusion call normalised to FusionAI's terms: the 5' partner (head) and the 3' partner (tail),
/// together with the source row it came from, so outputs can carry the row's own columns.
public struct FusionRecord: Sendable {
    /// The 5' partner (FusionAI's `H` columns).
    public var head: Breakpoint
    /// The 3' partner (FusionAI's `T` columns).
    public var tail: Breakpoint
    /// 1-based line of the source file.
    public var line: Int
    /// The source row's columns, as read.
    public var sourceFields: [String] {
        get { sourceColumns.map(String.init) }
        set { sourceColumns = newValue.map { $0[...] } }
    }
    /// The same, as slices of the row's text: no copy per column, since most runs never write them.
    var sourceColumns: [Substring]
    /// Columns of a FusionAI-format row beyond its own (kept in `prepare` outputs, after the windows).
    public var extraFields: [String]
    /// The 10-kb windows when the source already holds them (FusionAI data files).
    public var windows: (head: [UInt8], tail: [UInt8])?
    /// The 0/1 label of a FusionAI data file's 11th column.
    public var label: Int?
    /// The file the row came from, when several are read together (``MultiFusionReader``).
    public var source: String?
    /// The format (caller) of that file, when several are read together.
    public var caller: FusionFormat?

    public init(
        head: Breakpoint, tail: Breakpoint, line: Int, sourceFields: [String],
        extraFields: [String] = [], windows: (head: [UInt8], tail: [UInt8])? = nil, label: Int? = nil
    ) {
        self.head = head
        self.tail = tail
        self.line = line
        sourceColumns = sourceFields.map { $0[...] }
        self.extraFields = extraFields
        self.windows = windows
        self.label = label
    }

    /// A record whose source columns are slices of the row read (what parsers make).
    init(head: Breakpoint, tail: Breakpoint, line: Int, sourceFields: [Substring]) {
        self.head = head
        self.tail = tail
        self.line = line
        sourceColumns = sourceFields
        extraFields = []
    }

    /// `HEAD--TAIL`, the usual fusion name.
    public var name: String { "\(head.gene)--\(tail.gene)" }
}
