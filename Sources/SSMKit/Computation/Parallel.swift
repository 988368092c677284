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

/// Marks the threads running a parallelFor body (pthread-specific): a parallelFor inside one runs
/// inline, so nested parallel code (an FFT batch inside a convolution worker) never oversubscribes.
private let insideParallelRegion: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}()

/// Runs `body(i)` for i in 0..<count on up to `threadCount` threads (contiguous chunks, so each
/// thread touches one range of memory). Runs inline when one thread suffices, or when called from
/// inside another parallelFor.
func parallelFor(_ count: Int, minimumPerThread: Int = 1, _ body: (Range<Int>) -> Void) {
    let threads = min(threadCount, max(1, count / max(minimumPerThread, 1)))
    if threads <= 1 || count <= 1 || pthread_getspecific(insideParallelRegion) != nil { body(0..<count); return }
    let chunk = (count + threads - 1) / threads
    DispatchQueue.concurrentPerform(iterations: threads) { t in
        let start = t * chunk, end = min(count, start + chunk)
        guard start < end else { return }
        pthread_setspecific(insideParallelRegion, UnsafeRawPointer(bitPattern: 1))
        defer { pthread_setspecific(insideParallelRegion, nil) }
        body(start..<end)
    }
}
