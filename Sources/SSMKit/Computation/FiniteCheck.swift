// The finiteness check of large inputs (every C entry point rejects NaN and Inf). x − x is 0 for a
// finite x and NaN otherwise, so the sum of x − x over a block says whether the block is clean
// without a branch per entry; four independent SIMD sums keep the adds from waiting on each other.
// Inputs of more than `parallelThreshold` values are checked in blocks across threads (a single
// thread reading 16 MB took as long as half of the FFT that followed).

/// Values from which the check is split across threads.
private let parallelThreshold = 1 << 18

/// The index of the first NaN or infinite entry of `x` (float64 or float32), or nil.
@specialized(where S == Double)
@specialized(where S == Float)
public func firstNonFinite<S: SequenceScalar>(_ x: UnsafeBufferPointer<S>) -> Int? {
    guard let base = x.baseAddress, !x.isEmpty else { return nil }
    let count = x.count
    let blockSize = 1 << 16
    if count <= parallelThreshold { return blockIsClean(base, count) ? nil : x.firstIndex { !$0.isFinite } }
    let blocks = (count + blockSize - 1) / blockSize
    let dirty = UnsafeMutablePointer<Bool>.allocate(capacity: blocks)
    defer { dirty.deallocate() }
    parallelFor(blocks) { range in
        for b in range {
            let start = b * blockSize
            dirty[b] = !blockIsClean(base + start, min(blockSize, count - start))
        }
    }
    for b in 0..<blocks where dirty[b] {
        let start = b * blockSize
        if let k = UnsafeBufferPointer(start: base + start, count: min(blockSize, count - start)).firstIndex(where: { !$0.isFinite }) {
            return start + k
        }
    }
    return nil
}

/// Whether x[0..<count] holds only finite values.
@inline(__always)
private func blockIsClean<S: SequenceScalar>(_ x: UnsafePointer<S>, _ count: Int) -> Bool {
    var s0 = SIMD4<S>(), s1 = SIMD4<S>(), s2 = SIMD4<S>(), s3 = SIMD4<S>(), k = 0
    let raw = UnsafeRawPointer(x), stride = MemoryLayout<S>.stride
    while k + 16 <= count {
        let v0 = raw.loadUnaligned(fromByteOffset: k * stride, as: SIMD4<S>.self)
        let v1 = raw.loadUnaligned(fromByteOffset: (k + 4) * stride, as: SIMD4<S>.self)
        let v2 = raw.loadUnaligned(fromByteOffset: (k + 8) * stride, as: SIMD4<S>.self)
        let v3 = raw.loadUnaligned(fromByteOffset: (k + 12) * stride, as: SIMD4<S>.self)
        s0 += v0 - v0; s1 += v1 - v1; s2 += v2 - v2; s3 += v3 - v3
        k += 16
    }
    var sum = (s0 + s1) + (s2 + s3)
    while k < count { sum[0] += x[k] - x[k]; k += 1 }
    return sum == SIMD4()
}
