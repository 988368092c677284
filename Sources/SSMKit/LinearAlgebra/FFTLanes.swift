import Synchronization

// What the Stockham passes (FFTRadix.swift) compute with, and where they read and write.
//
// A lane value holds one real number of one, two or four transforms side by side: Double (one
// row), SIMD2<Double> (two float64 rows) or SIMD4<Float> (four float32 rows). A pass reads its
// points from an `FFTSource` and writes them to an `FFTSink`, both addressed like an interleaved
// complex buffer: element i is (re, im) at offsets (2i, 2i + 1). Between passes that is a lane
// buffer; the first pass can read the caller's rows and the last pass write them (`RowPair`,
// `RowQuad`), which saves a copy into and out of the lane buffer, and every row goes through the
// same arithmetic whatever its lane, so a row's result never depends on its position in a batch.

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
    static prefix func - (a: Self) -> Self
    static var zero: Self { get }
    /// A table entry for the twiddle component `x`.
    static func twiddle(_ x: Double) -> Twiddle
    static func negate(_ t: Twiddle) -> Twiddle
}
extension Double: FFTLane {
    typealias Real = Double
    typealias Twiddle = Double
    @inline(__always) static func twiddle(_ x: Double) -> Double { x }
    @inline(__always) static func negate(_ t: Double) -> Double { -t }
}
extension SIMD2: FFTLane where Scalar == Double {
    typealias Real = Double
    typealias Twiddle = SIMD2<Double>
    @inline(__always) static func twiddle(_ x: Double) -> SIMD2<Double> { SIMD2(repeating: x) }
    @inline(__always) static func negate(_ t: SIMD2<Double>) -> SIMD2<Double> { -t }
}
extension SIMD4: FFTLane where Scalar == Float {
    typealias Real = Float
    typealias Twiddle = SIMD4<Float>
    @inline(__always) static func twiddle(_ x: Double) -> SIMD4<Float> { SIMD4(repeating: Float(x)) }
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

/// Four float32 rows of interleaved complex values as SIMD4<Float> lanes, as `RowPair`.
struct RowQuad: FFTSource, FFTSink {
    typealias V = SIMD4<Float>
    let r0: UnsafeMutablePointer<Float>
    let r1: UnsafeMutablePointer<Float>
    let r2: UnsafeMutablePointer<Float>
    let r3: UnsafeMutablePointer<Float>
    @inline(__always) init(_ r0: UnsafeMutablePointer<Float>, _ r1: UnsafeMutablePointer<Float>,
                           _ r2: UnsafeMutablePointer<Float>, _ r3: UnsafeMutablePointer<Float>) {
        self.r0 = r0; self.r1 = r1; self.r2 = r2; self.r3 = r3
    }
    @inline(__always) func load(_ i: Int) -> (V, V) {
        let p0 = UnsafeRawPointer(r0 + i).loadUnaligned(as: SIMD2<Float>.self)
        let p1 = UnsafeRawPointer(r1 + i).loadUnaligned(as: SIMD2<Float>.self)
        let p2 = UnsafeRawPointer(r2 + i).loadUnaligned(as: SIMD2<Float>.self)
        let p3 = UnsafeRawPointer(r3 + i).loadUnaligned(as: SIMD2<Float>.self)
        return (V(p0.x, p1.x, p2.x, p3.x), V(p0.y, p1.y, p2.y, p3.y))
    }
    @inline(__always) func store(_ i: Int, _ re: V, _ im: V) {
        UnsafeMutableRawPointer(r0 + i).storeBytes(of: SIMD2(re.x, im.x), as: SIMD2<Float>.self)
        UnsafeMutableRawPointer(r1 + i).storeBytes(of: SIMD2(re.y, im.y), as: SIMD2<Float>.self)
        UnsafeMutableRawPointer(r2 + i).storeBytes(of: SIMD2(re.z, im.z), as: SIMD2<Float>.self)
        UnsafeMutableRawPointer(r3 + i).storeBytes(of: SIMD2(re.w, im.w), as: SIMD2<Float>.self)
    }
    @inline(__always) func advanced(by k: Int) -> Self { RowQuad(r0 + k, r1 + k, r2 + k, r3 + k) }
}
