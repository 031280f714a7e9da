import CMalloc

/// Keeps glibc's allocator from handing memory back to the kernel after every batch.
///
/// Batches allocate and free tens of megabytes of windows and rows, on several threads; by default
/// glibc trims and re-faults that memory each time, which doubled `prepare`'s system time on two
/// threads (benchmarks/prepare: 2.2 s -> 1.5 s for 50,000 rows).
public func tuneAllocatorForBatches() {
    fusionai_tune_malloc()
}
