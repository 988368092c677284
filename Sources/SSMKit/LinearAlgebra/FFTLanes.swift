import Synchronization

// What the Stockham passes (FFTRadix.swift) compute with, and where they read and write.
//
// A lane value holds one real number of one, two or four transforms side by side: Double (one
// row), SIMD2<Double> (two float64 rows) or SIMD4<Float> (four float32 rows). A pass reads its
// points from an `FFTSource` and writes them to an `FFTSink`, both addressed like an interleaved
// complex buffer: element i is (re, im) at offsets (2i, 2i + 1). Between passes that is a lane
// buffer; for float64 pairs the first pass can read the caller's rows and the last pass write
// them (`RowPair`), which saves a copy into and out of the lane buffer; float32 quads are copied
// (`gather4`, `scatter4`). Every row goes through the same arithmetic whatever its lane, so a
// row's result never depends on its position in a batch.

/// One real value per transform: the passes' arithmetic, with constants of type `Real` and
/// twiddle tables of type `Twiddle`. SIMD lanes keep their twiddles splatted (one value per lane)
/// in the table, so a twiddle product is one vector multiply with a memory operand: from scalar
/// tables LLVM splats with shuffles and then mixes real and imaginary lanes (about 40% more
/// instructions per radix-4 butterfly, measured with callgrind).
protocol FFTLane {
    associatedtype Real: BinaryFloatingPoint
    associatedtype Twiddle
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Real) -> Self
    static func * (a: Self, b: Twiddle) -> Self
    static func * (a: Self, b: Self) -> Self
    static prefix func - (a: Self) -> Self
    /// A butterfly constant in every lane.
    static func splat(_ x: Real) -> Self
    static var zero: Self { get }
    /// A table entry for the twiddle component `x`.
    static func twiddle(_ x: Double) -> Twiddle
    static func negate(_ t: Twiddle) -> Twiddle
}
extension Double: FFTLane {
    typealias Real = Double
    typealias Twiddle = Double
    @inline(__always) static func twiddle(_ x: Double) -> Double { x }
    @inline(__always) static func splat(_ x: Double) -> Double { x }
    @inline(__always) static func negate(_ t: Double) -> Double { -t }
}
extension SIMD2: FFTLane where Scalar == Double {
    typealias Real = Double
    typealias Twiddle = SIMD2<Double>
    @inline(__always) static func twiddle(_ x: Double) -> SIMD2<Double> { SIMD2(repeating: x) }
    @inline(__always) static func splat(_ x: Double) -> SIMD2<Double> { SIMD2(repeating: x) }
    @inline(__always) static func negate(_ t: SIMD2<Double>) -> SIMD2<Double> { -t }
}
extension SIMD4: FFTLane where Scalar == Float {
    typealias Real = Float
    typealias Twiddle = SIMD4<Float>
    @inline(__always) static func twiddle(_ x: Double) -> SIMD4<Float> { SIMD4(repeating: Float(x)) }
    @inline(__always) static func splat(_ x: Float) -> SIMD4<Float> { SIMD4(repeating: x) }
    @inline(__always) static func negate(_ t: SIMD4<Float>) -> SIMD4<Float> { -t }
}

/// A plan's twiddle table in the layouts of every lane type: the Double table, and splatted copies
/// for SIMD2<Double> and SIMD4<Float> lanes built on first use (most plans serve one kind).
final class TwiddleTables: Sendable {
    let scalar: [Double]
    private let simd2 = Mutex<[SIMD2<Double>]?>(nil)
    private let simd4 = Mutex<[SIMD4<Float>]?>(nil)

    init(_ scalar: [Double]) { self.scalar = scalar }

    /// `body` with the table for lanes of type V.
    @inline(__always)
    func with<V: FFTLane, T>(_: V.Type, _ body: (UnsafePointer<V.Twiddle>) -> T) -> T {
        func run<E>(_ table: [E]) -> T {
            table.withUnsafeBufferPointer { buffer in
                body(UnsafeRawPointer(buffer.baseAddress ?? UnsafePointer(bitPattern: 64)!).assumingMemoryBound(to: V.Twiddle.self))
            }
        }
        if V.self == SIMD2<Double>.self {
            return run(simd2.withLock { table in
                if let table { return table }
                let built = scalar.map { SIMD2<Double>(repeating: $0) }
                table = built
                return built
            })
        }
        if V.self == SIMD4<Float>.self {
            return run(simd4.withLock { table in
                if let table { return table }
                let built = scalar.map { SIMD4<Float>(repeating: Float($0)) }
                table = built
                return built
            })
        }
        return run(scalar)
    }
}

/// Where a pass reads: `load(i)` is element i/2 (i even) as (re, im).
protocol FFTSource {
    associatedtype V: FFTLane
    func load(_ i: Int) -> (V, V)
    func advanced(by k: Int) -> Self
}

/// Where a pass writes: `store(i, re, im)` sets element i/2 (i even).
protocol FFTSink {
    associatedtype V: FFTLane
    func store(_ i: Int, _ re: V, _ im: V)
    func advanced(by k: Int) -> Self
}

/// A lane buffer: element i/2 is (base[i], base[i + 1]).
struct LaneBuffer<V: FFTLane>: FFTSource, FFTSink {
    let base: UnsafeMutablePointer<V>
    @inline(__always) init(_ base: UnsafeMutablePointer<V>) { self.base = base }
    @inline(__always) init(_ base: UnsafePointer<V>) { self.base = UnsafeMutablePointer(mutating: base) }
    @inline(__always) func load(_ i: Int) -> (V, V) { (base[i], base[i &+ 1]) }
    @inline(__always) func store(_ i: Int, _ re: V, _ im: V) { base[i] = re; base[i &+ 1] = im }
    @inline(__always) func advanced(by k: Int) -> Self { LaneBuffer(base + k) }
}

/// Two float64 rows of interleaved complex values (a real row of even length read as complex
/// pairs is one too), as SIMD2 lanes: row 0 in lane 0, row 1 in lane 1. Reads only (source) or
/// writes only (sink), never both in one pass.
struct RowPair: FFTSource, FFTSink {
    typealias V = SIMD2<Double>
    let a: UnsafeMutablePointer<Double>
    let b: UnsafeMutablePointer<Double>
    @inline(__always) init(_ a: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>) { self.a = a; self.b = b }
    @inline(__always) init(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>) {
        self.a = UnsafeMutablePointer(mutating: a); self.b = UnsafeMutablePointer(mutating: b)
    }
    @inline(__always) func load(_ i: Int) -> (V, V) {
        let u = UnsafeRawPointer(a + i).loadUnaligned(as: V.self)
        let v = UnsafeRawPointer(b + i).loadUnaligned(as: V.self)
        return (V(u.x, v.x), V(u.y, v.y))
    }
    @inline(__always) func store(_ i: Int, _ re: V, _ im: V) {
        UnsafeMutableRawPointer(a + i).storeBytes(of: V(re.x, im.x), as: V.self)
        UnsafeMutableRawPointer(b + i).storeBytes(of: V(re.y, im.y), as: V.self)
    }
    @inline(__always) func advanced(by k: Int) -> Self { RowPair(a + k, b + k) }
}

/// Four float32 rows into SIMD4<Float> lanes: lanes[k] = (r0[k], r1[k], r2[k], r3[k]) for k < valid,
/// zero for valid ≤ k < total. A plain transposing copy, so that the passes read lane buffers:
/// reading four rows inside the first pass (as `RowPair` does two) let LLVM push the transposing
/// shuffles into the butterflies' arithmetic, which then ran on half-filled vectors and scalars
/// (the float32 convolution took 1.8x the time). For float64 pairs the fused reads are cheaper.
func gather4(_ r0: UnsafePointer<Float>, _ r1: UnsafePointer<Float>, _ r2: UnsafePointer<Float>, _ r3: UnsafePointer<Float>,
             valid: Int, total: Int, into lanes: UnsafeMutablePointer<SIMD4<Float>>) {
    var k = 0
    while k + 4 <= valid {
        let a = UnsafeRawPointer(r0 + k).loadUnaligned(as: SIMD4<Float>.self)
        let b = UnsafeRawPointer(r1 + k).loadUnaligned(as: SIMD4<Float>.self)
        let c = UnsafeRawPointer(r2 + k).loadUnaligned(as: SIMD4<Float>.self)
        let d = UnsafeRawPointer(r3 + k).loadUnaligned(as: SIMD4<Float>.self)
        lanes[k] = SIMD4(a[0], b[0], c[0], d[0])
        lanes[k + 1] = SIMD4(a[1], b[1], c[1], d[1])
        lanes[k + 2] = SIMD4(a[2], b[2], c[2], d[2])
        lanes[k + 3] = SIMD4(a[3], b[3], c[3], d[3])
        k += 4
    }
    while k < valid { lanes[k] = SIMD4(r0[k], r1[k], r2[k], r3[k]); k += 1 }
    if k < total { (lanes + k).update(repeating: .zero, count: total - k) }
}

/// The first `count` values of each lane back into four float32 rows (the inverse of `gather4`).
/// Rows may coincide (a repeated row gets the same values twice).
func scatter4(_ lanes: UnsafePointer<SIMD4<Float>>, count: Int, _ r0: UnsafeMutablePointer<Float>,
              _ r1: UnsafeMutablePointer<Float>, _ r2: UnsafeMutablePointer<Float>, _ r3: UnsafeMutablePointer<Float>) {
    var k = 0
    while k + 4 <= count {
        let a = lanes[k], b = lanes[k + 1], c = lanes[k + 2], d = lanes[k + 3]
        UnsafeMutableRawPointer(r0 + k).storeBytes(of: SIMD4(a[0], b[0], c[0], d[0]), as: SIMD4<Float>.self)
        UnsafeMutableRawPointer(r1 + k).storeBytes(of: SIMD4(a[1], b[1], c[1], d[1]), as: SIMD4<Float>.self)
        UnsafeMutableRawPointer(r2 + k).storeBytes(of: SIMD4(a[2], b[2], c[2], d[2]), as: SIMD4<Float>.self)
        UnsafeMutableRawPointer(r3 + k).storeBytes(of: SIMD4(a[3], b[3], c[3], d[3]), as: SIMD4<Float>.self)
        k += 4
    }
    while k < count { let v = lanes[k]; r0[k] = v[0]; r1[k] = v[1]; r2[k] = v[2]; r3[k] = v[3]; k += 1 }
}
