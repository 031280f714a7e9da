import COpenBLAS

/// OpenBLAS runs single-threaded here: the engine splits work across threads itself, and
/// OpenBLAS's own threads, started from several of ours at once, only spin against each other.
enum BLASThreads {
    static let configured: Bool = {
        openblas_set_num_threads(1)
        return true
    }()
}
