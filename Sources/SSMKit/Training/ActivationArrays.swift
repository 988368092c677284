import Synchronization

// Element-wise work on the batch×channels×L activation arrays of a training pass: allocation
// without zero-filling, products and sums split across threads, and reductions with independent
// partial sums (a single running sum waits on each add's latency and cannot use SIMD lanes).

/// An array of `count` values left unset, for outputs written in full before they are read: a
/// recycled one of that type and size when the pool has one (see `recycle`), else a fresh one
/// (not zero-filled: that took 8% of a float32 training step, measured with callgrind).
/// E must be a plain value type (Float, Double, Complex<Double>, SIMD4<Float>: `_isPOD`).
func unsetArray<E>(_ count: Int) -> [E] {
    assert(_isPOD(E.self), "unsetArray is for plain value types")
    if count * MemoryLayout<E>.stride >= minimumPooledBytes,
       let reused = arrayPool.withLock({ $0.take(ArrayKey(type: ObjectIdentifier(E.self), count: count)) }) {
        return reused as! [E]
    }
    return [E](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
}

/// Gives an activation-sized array's storage to the pool for the next `unsetArray` of that type and
/// size; `array` is emptied. Why: a training step allocates and frees tens of megabytes of
/// activations; freed, they went back to the kernel (glibc trims its heap and unmaps large blocks)
/// and every step paid the page faults again — 11 000 faults and 22 ms of kernel time per float32
/// step of the benchmark's model, more than half its wall time. Recycling is always safe: an array
/// still shared elsewhere is copied on its next write, as any Swift array.
func recycle<E>(_ array: inout [E]) {
    let bytes = array.count * MemoryLayout<E>.stride
    if bytes >= minimumPooledBytes {
        let kept = array
        arrayPool.withLock { $0.put(kept, ArrayKey(type: ObjectIdentifier(E.self), count: kept.count), bytes: bytes) }
    }
    array = []
}

/// Arrays below this size come from malloc's small-block lists anyway.
private let minimumPooledBytes = 64 << 10
/// At most this much is kept (beyond it arrays are freed as usual).
private let maximumPooledBytes = 512 << 20

private struct ArrayKey: Hashable {
    let type: ObjectIdentifier, count: Int
}

/// The free arrays by type and size, each with its byte count. (`Any` holds arrays of bitwise-copyable
/// values only.)
private struct PooledArrays: @unchecked Sendable {
    var free: [ArrayKey: [(array: Any, bytes: Int)]] = [:]
    var bytes = 0
    mutating func take(_ key: ArrayKey) -> Any? {
        guard let entry = free[key]?.popLast() else { return nil }
        if free[key]?.isEmpty == true { free[key] = nil }
        bytes -= entry.bytes
        return entry.array
    }
    mutating func put(_ array: Any, _ key: ArrayKey, bytes size: Int) {
        guard bytes + size <= maximumPooledBytes else { return }
        free[key, default: []].append((array, size))
        bytes += size
    }
}

private let arrayPool = Mutex(PooledArrays())

/// Runs body on contiguous ranges of 0..<count split across threads (element-wise work).
func inParallelRanges(_ count: Int, _ body: (Range<Int>) -> Void) {
    let piece = 1 << 14
    parallelFor((count + piece - 1) / piece) { blocks in
        body((blocks.lowerBound * piece)..<min(count, blocks.upperBound * piece))
    }
}

/// x[i] *= y[i], across threads.
func multiply<S: SequenceScalar>(_ x: inout [S], by y: [S]) {
    let count = x.count
    x.withUnsafeMutableBufferPointer { xp in
        y.withUnsafeBufferPointer { yp in
            let a = xp.baseAddress!, b = yp.baseAddress!
            inParallelRanges(count) { range in for i in range { a[i] *= b[i] } }
        }
    }
}

/// x[i] += y[i], across threads.
func add<S: SequenceScalar>(_ y: [S], to x: inout [S]) {
    let count = x.count
    x.withUnsafeMutableBufferPointer { xp in
        y.withUnsafeBufferPointer { yp in
            let a = xp.baseAddress!, b = yp.baseAddress!
            inParallelRanges(count) { range in for i in range { a[i] += b[i] } }
        }
    }
}

/// Σ x[i], i < count, in float64: blocks of 64 summed in S with sixteen partial sums (SIMD lanes,
/// eight terms per lane), the blocks' sums added in float64.
@inline(__always)
func sum<S: SequenceScalar>(_ x: UnsafePointer<S>, _ count: Int) -> Double {
    let raw = UnsafeRawPointer(x), size = MemoryLayout<S>.stride
    var total = 0.0, k = 0
    while k + 64 <= count {
        var a = SIMD8<S>(), b = SIMD8<S>()
        for j in stride(from: k, to: k + 64, by: 16) {
            a += raw.loadUnaligned(fromByteOffset: j * size, as: SIMD8<S>.self)
            b += raw.loadUnaligned(fromByteOffset: (j + 8) * size, as: SIMD8<S>.self)
        }
        total += (a + b).sum().doubleValue
        k += 64
    }
    while k < count { total += x[k].doubleValue; k += 1 }
    return total
}

/// Σ x[i]·y[i], i < count, in float64, as `sum`.
@inline(__always)
func dot<S: SequenceScalar>(_ x: UnsafePointer<S>, _ y: UnsafePointer<S>, _ count: Int) -> Double {
    let rx = UnsafeRawPointer(x), ry = UnsafeRawPointer(y), size = MemoryLayout<S>.stride
    var total = 0.0, k = 0
    while k + 64 <= count {
        var a = SIMD8<S>(), b = SIMD8<S>()
        for j in stride(from: k, to: k + 64, by: 16) {
            a += rx.loadUnaligned(fromByteOffset: j * size, as: SIMD8<S>.self) * ry.loadUnaligned(fromByteOffset: j * size, as: SIMD8<S>.self)
            b += rx.loadUnaligned(fromByteOffset: (j + 8) * size, as: SIMD8<S>.self)
                * ry.loadUnaligned(fromByteOffset: (j + 8) * size, as: SIMD8<S>.self)
        }
        total += (a + b).sum().doubleValue
        k += 64
    }
    while k < count { total += x[k].doubleValue * y[k].doubleValue; k += 1 }
    return total
}
