// HiPPO matrices against independent numpy transcriptions of MATH.md §1 and of state-spaces/s4.
import SSMKit
import Testing

@Suite("HiPPO vs numpy transcriptions")
struct HiPPOCrossCheckTests {
    /// numpy code building (A, B) for each measure, written independently of the Swift code.
    static let numpyCode: [HiPPOMeasure: String] = [
        .legs: """
            q = np.arange(N); r = np.sqrt(2*q + 1)
            A = -np.where(q[:, None] > q[None, :], np.outer(r, r), np.diag(q + 1.0))
            B = r
            """,
        .legt: """
            q = np.arange(N); r = np.sqrt(2*q + 1); i, k = np.meshgrid(q, q, indexing="ij")
            A = -np.outer(r, r) * np.where(i >= k, 1.0, (-1.0)**(i - k)) / theta
            B = r / theta
            """,
        .lmu: """
            q = np.arange(N); i, k = np.meshgrid(q, q, indexing="ij")
            A = (2*q + 1)[:, None] / theta * np.where(i < k, -1.0, (-1.0)**(i - k + 1))
            B = (2*q + 1) * (-1.0)**q / theta
            """,
        .lagt: """
            A = 0.5*np.eye(N) - np.tril(np.ones((N, N)))
            B = np.ones(N)
            """,
        .fout: """
            g = np.zeros(N); g[0] = 1.0; g[1::2] = np.sqrt(2.0)
            Om = np.zeros((N, N))
            for m in range(1, (N - 1)//2 + 1):
                Om[2*m, 2*m - 1] = 2*np.pi*m; Om[2*m - 1, 2*m] = -2*np.pi*m
            A = (Om - 2*np.outer(g, g)) / theta
            B = 2*g / theta
            """,
    ]

    @Test("paper convention", arguments: HiPPOMeasure.allCases)
    func paper(measure: HiPPOMeasure) throws {
        for (n, theta) in [(1, 1.0), (5, 1.0), (33, 0.37), (129, 4.0)] {
            let ours = try hippo(measure, N: n, theta: theta)
            let code = "N = \(n); theta = \(theta)\n" + Self.numpyCode[measure]! + "\nresult = np.concatenate([A.ravel(), B])"
            let reference = try EmbeddedPython.evaluate(code)
            let error = relativeDifference(ours.A.elements + ours.B, reference)
            #expect(error < 1e-15, "\(measure) N=\(n) θ=\(theta): \(error)")
        }
    }

    @Test("s4 convention: legt is halved")
    func s4Legt() throws {
        let ours = try hippo(.legt, N: 16, convention: .s4)
        // state-spaces/s4 transition('legt'): A = -(R R^T ∘ where(i<j, (-1)^(i-j), 1)) / 2, B = R / 2.
        let reference = try EmbeddedPython.evaluate("""
            Q = np.arange(16, dtype=np.float64); R = (2*Q + 1)**.5
            j, i = np.meshgrid(Q, Q)
            A = -0.5 * R[:, None] * np.where(i < j, (-1.)**(i - j), 1) * R[None, :]
            result = np.concatenate([A.ravel(), 0.5*R])
            """)
        #expect(relativeDifference(ours.A.elements + ours.B, reference) < 1e-15)
    }
}
