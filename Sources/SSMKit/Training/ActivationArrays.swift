// Element-wise work on the batch×channels×L activation arrays of a training pass: allocation
// without zero-filling, products and sums split across threads, and reductions with independent
// partial sums (a single running sum waits on each add's latency and cannot use SIMD lanes).

/// An array of `count` values left unset, for outputs written in full before they are read
/// (zero-filling the activations took 8% of a float32 training step, measured with callgrind).
@inline(__always)
func unsetArray<S: SequenceScalar>(_ count: Int) -> [S] {
    [S](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
}

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
