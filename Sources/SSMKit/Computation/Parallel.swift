import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

// Work split across channels or batch rows on the machine's cores. The thread count is
// process-wide, settable (default: all cores), and read once per call.

private let threadCountStorage = Atomic<Int>(0)   // 0: all cores

/// Threads the computation functions use (1 … 1024); 0 restores the default (all cores).
public func setThreadCount(_ count: Int) throws {
    try require(count >= 0 && count <= 1024, .value, "the thread count must be in 0…1024 (0: all cores), got \(count)")
    threadCountStorage.store(count, ordering: .relaxed)
}

/// The thread count in effect (all cores when unset).
public var threadCount: Int {
    let n = threadCountStorage.load(ordering: .relaxed)
    return n > 0 ? n : max(1, ProcessInfoCores.count)
}

/// The number of online cores.
enum ProcessInfoCores {
    static let count: Int = {
        #if canImport(Glibc)
        return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #else
        return 1
        #endif
    }()
}

/// Runs `body(i)` for i in 0..<count on up to `threadCount` threads (contiguous chunks, so each
/// thread touches one range of memory). Runs inline when one thread suffices.
func parallelFor(_ count: Int, minimumPerThread: Int = 1, _ body: (Range<Int>) -> Void) {
    let threads = min(threadCount, max(1, count / max(minimumPerThread, 1)))
    if threads <= 1 || count <= 1 { body(0..<count); return }
    let chunk = (count + threads - 1) / threads
    DispatchQueue.concurrentPerform(iterations: threads) { t in
        let start = t * chunk, end = min(count, start + chunk)
        if start < end { body(start..<end) }
    }
}
