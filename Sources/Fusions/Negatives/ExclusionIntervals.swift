import Genome

/// Regions no negative breakpoint may fall in (repeats, pseudogenes, paralogs...), read from BED
/// files: an ``IntervalSet`` under the name the negatives generator uses.
public typealias ExclusionIntervals = IntervalSet
