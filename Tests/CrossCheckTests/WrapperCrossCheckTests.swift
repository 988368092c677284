// The shipped library through its Python wrapper, inside this process: libssmkit.so (built by
// `swift build`), loaded by ctypes from python/ssmkit, must give what the Swift core gives.
import SSMKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The repository root, from this file's path (Tests/CrossCheckTests/<file>).
private let repositoryRoot: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}()

/// The SwiftPM build of the C library next to this test binary's configuration, if it was built.
private let libraryPath: String? = {
    for configuration in ["debug", "release"] {
        let path = "\(repositoryRoot)/.build/\(configuration)/libssmkit.so"
        if access(path, R_OK) == 0 { return path }
    }
    return nil
}()

@Suite("libssmkit.so through the Python wrapper")
struct WrapperCrossCheckTests {
    @Test("ssmkit.hippo and ssmkit.discretize equal the Swift core", .enabled(if: libraryPath != nil, "build libssmkit.so first (swift build)"))
    func wrapperEqualsCore() throws {
        let n = 9
        let (a, b) = try hippo(.legs, N: n)
        let c = RealMatrix(rows: 1, columns: n, elements: (0..<n).map { 1 / Double($0 + 1) })
        let system = StateSpace(A: a, B: RealMatrix(rows: n, columns: 1, elements: b), C: c,
                                D: RealMatrix(rows: 1, columns: 1, elements: [0.5]))
        var expected: [Double] = []
        for method in [DiscretizationMethod.zoh, .foh, .bilinear, .impulse] {
            let d = method == .impulse ? StateSpace(A: system.A, B: system.B, C: system.C, D: RealMatrix(rows: 1, columns: 1, elements: [0])) : system
            let r = try discretize(d, dt: 0.05, method: method)
            expected += r.A.elements + r.B.elements + r.C.elements + r.D.elements
        }
        let viaWrapper = try EmbeddedPython.evaluate("""
            import os, sys
            os.environ["SSMKIT_LIBRARY"] = "\(libraryPath!)"
            sys.path.insert(0, "\(repositoryRoot)/python")
            import ssmkit
            A, B = ssmkit.hippo("legs", \(n))
            C = 1.0 / np.arange(1, \(n) + 1)[None, :]
            parts = []
            for method in ["zoh", "foh", "bilinear", "impulse"]:
                D = np.array([[0.0 if method == "impulse" else 0.5]])
                parts += [x.ravel() for x in ssmkit.discretize(A, B[:, None], C, D, 0.05, method=method)]
            result = np.concatenate(parts)
            """)
        // The same code compiled twice (static core here, shared library there): bit-for-bit equal
        // is expected; allow a few ulps in case the two builds' optimizers differ.
        #expect(relativeDifference(viaWrapper, expected) < 1e-14)
    }

    @Test("bad input through the wrapper raises, and the process survives", .enabled(if: libraryPath != nil, "build libssmkit.so first (swift build)"))
    func badInputRaises() throws {
        let messages = try EmbeddedPython.evaluate("""
            import os, sys
            os.environ["SSMKIT_LIBRARY"] = "\(libraryPath!)"
            sys.path.insert(0, "\(repositoryRoot)/python")
            import ssmkit
            caught = 0
            for call in [lambda: ssmkit.hippo("legx", 4), lambda: ssmkit.expm(np.array([[np.nan]])),
                         lambda: ssmkit.discretize(-np.eye(2), np.ones((2, 1)), None, None, dt=-1.0),
                         lambda: ssmkit.hippo("legs", 2**40)]:
                try:
                    call()
                except ssmkit.SSMError as e:
                    caught += isinstance(e, ValueError)
            result = [caught]
            """)
        #expect(messages == [4])
    }
}
