import ComplexModule
import Testing
@testable import SSMKit

/// Diagonal initializations (DiagonalInit.swift); formulas, the generator's exact stream and
/// statistics are checked against Python in python/tests/test_diag.py.
@Suite struct DiagonalInitTests {
    @Test func linAndOverrides() throws {
        var o = DiagonalInitOptions()
        o.N = 8; o.H = 2; o.realPart = 0
        let d = try diagonalInit(o)
        #expect(d.modes == 4 && d.lambda.count == 8)
        for k in 0..<8 { #expect(d.lambda[k] == Complex(0, Double.pi * Double(k % 4))) }
        #expect(d.B.allSatisfy { $0 == Complex(1, 0) } && d.gamma.allSatisfy { $0 == 1 })
    }

    @Test func seededAndReproducible() throws {
        var o = DiagonalInitOptions()
        o.scheme = .random; o.N = 16; o.H = 3; o.bInit = .random; o.seed = 99
        let a = try diagonalInit(o), b = try diagonalInit(o)
        #expect(a.lambda == b.lambda && a.B == b.B && a.C == b.C)
        o.seed = 100
        #expect(try diagonalInit(o).C != a.C)
        var g = SSMRandom(seed: 0)
        let u = (0..<1000).map { _ in g.uniform() }
        #expect(u.allSatisfy { $0 >= 0 && $0 < 1 } && Set(u).count == 1000)
    }

    @Test func badOptionsThrow() {
        var o = DiagonalInitOptions()
        o.N = 5
        #expect(throws: SSMError.self) { try diagonalInit(o) }
        o.N = 8; o.scheme = .lru; o.realPart = 0
        #expect(throws: SSMError.self) { try diagonalInit(o) }
        o.realPart = nil; o.rMax = 1.5
        #expect(throws: SSMError.self) { try diagonalInit(o) }
    }
}
