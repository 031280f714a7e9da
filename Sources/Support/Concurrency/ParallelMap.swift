import Dispatch

/// Shares a value across `concurrentPerform` workers that each touch only their own part of it.
final class UnsafeShared<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}

/// Maps `0..<count` on one thread per element of `states` (a genome reader each, say), keeping the
/// results in index order. Worker `w` takes indices `w, w + workers, ...`, so the output does not
/// depend on scheduling.
public func parallelMap<State, Result>(
    count: Int, states: [State], _ body: (inout State, Int) -> Result
) -> [Result] {
    precondition(!states.isEmpty, "parallelMap needs at least one worker state")
    if states.count == 1 || count < 2 {
        var state = states[0]
        return (0..<count).map { body(&state, $0) }
    }
    let workers = min(states.count, count)
    return withoutActuallyEscaping(body) { body in
        let work = UnsafeShared(body)
        let shared = UnsafeShared(states)
        return [Result](unsafeUninitializedCapacity: count) { buffer, initialized in
            let out = UnsafeShared(buffer)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                var state = shared.value[w]
                var i = w
                while i < count {
                    (out.value.baseAddress! + i).initialize(to: work.value(&state, i))
                    i += workers
                }
            }
            initialized = count
        }
    }
}

/// Maps `0..<count` on up to `threads` threads, keeping the results in index order; worker `w`
/// takes indices `w, w + workers, ...`, so the output does not depend on scheduling or on the
/// thread count (as long as `body` depends only on its index).
public func parallelMap<Result>(count: Int, threads: Int, _ body: (Int) -> Result) -> [Result] {
    let workers = max(1, min(threads, count))
    return parallelMap(count: count, states: [Void](repeating: (), count: workers)) { _, i in body(i) }
}

/// Runs `body` once per element of `states`, each on a thread of its own, giving worker `w` its
/// state and the `w`th of `states.count` contiguous, near-equal parts of `0..<count` (the first
/// parts one longer when `count` does not divide evenly). Contiguous parts let each worker append
/// its rows' results to a buffer of its own that the caller then reads in order; the parts depend
/// only on `count` and `states.count`, never on scheduling.
public func parallelChunks<State>(count: Int, states: inout [State], _ body: (inout State, Range<Int>) -> Void) {
    precondition(!states.isEmpty, "parallelChunks needs at least one worker state")
    let workers = states.count
    @Sendable func part(_ w: Int) -> Range<Int> {
        let size = count / workers
        let extra = count % workers
        let start = w * size + min(w, extra)
        return start..<(start + size + (w < extra ? 1 : 0))
    }
    if workers == 1 || count < 2 {
        for w in 0..<workers { body(&states[w], part(w)) }
        return
    }
    withoutActuallyEscaping(body) { body in
        let work = UnsafeShared(body)
        states.withUnsafeMutableBufferPointer { buffer in
            let shared = UnsafeShared(buffer)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                work.value(&shared.value[w], part(w))
            }
        }
    }
}
