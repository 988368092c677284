/*
 * ssmkit.h — the C interface of SSMKit, a state space model (SSM) numerics library.
 *
 * SSMKit initializes, discretizes, runs and trains SSMs. This header is the whole C ABI of
 * libssmkit.so; the Python package (ctypes) and C programs use it, the Swift core implements it.
 *
 * Conventions (they hold for every function below unless its comment says otherwise)
 * ----------------------------------------------------------------------------------
 *  - Status: every fallible function returns an int32_t status. 0 (SSM_OK) is success; a negative
 *    value is a caller error (bad pointer, size or value); a positive value is a numerical outcome
 *    (singular matrix, ...). On failure the output arrays are left in an unspecified state and
 *    ssm_last_error() describes the failure: which argument, which value, what was expected.
 *  - Arrays are caller-allocated, C-contiguous and row-major. A matrix "n×m" has n rows of m
 *    entries. Input and output arrays must not overlap unless a function says so.
 *  - Sizes are int64_t. Every size is checked for negative values, for overflow of the byte count,
 *    and against the allocation limit (ssm_set_allocation_limit) before any work is done.
 *  - Complex numbers are interleaved (re, im) pairs: ssm_complex_t has the layout of numpy's
 *    complex128 and of C99 double _Complex.
 *  - Options are passed by pointer to a struct whose first field is its size in bytes; initialize
 *    it with the matching ssm_..._options_default(). Passing NULL means "all defaults". New fields
 *    are only ever appended, so a program compiled against an older header keeps working.
 *  - Thread safety: every function in this header is stateless and may be called from any number of
 *    threads at once, except the process-wide setters, which are documented as such.
 *  - Non-finite input (NaN, ±Inf) in any matrix, vector or step is rejected with SSM_ERR_VALUE.
 *
 * Copyright 2026 the SSMKit authors. Licensed under the Apache License, Version 2.0.
 */
#ifndef SSMKIT_H
#define SSMKIT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ============================================================================================ */
/* Versions                                                                                      */
/* ============================================================================================ */

#define SSM_VERSION_MAJOR 0
#define SSM_VERSION_MINOR 1
#define SSM_VERSION_PATCH 0
/** MAJOR*10000 + MINOR*100 + PATCH, e.g. 100 for 0.1.0. */
#define SSM_VERSION_NUMBER (SSM_VERSION_MAJOR * 10000 + SSM_VERSION_MINOR * 100 + SSM_VERSION_PATCH)

/** The SSM_VERSION_NUMBER of the library loaded at run time (it may differ from this header's). */
int32_t ssm_version_number(void);

/** The version of the loaded library as a static string, e.g. "0.1.0". Never NULL. */
const char *ssm_version_string(void);

/* ============================================================================================ */
/* Status codes and errors                                                                       */
/* ============================================================================================ */

#define SSM_OK 0

/* Caller errors (negative). Codes are never reused once published. */
#define SSM_ERR_NULL (-1)        /**< a required pointer argument is NULL */
#define SSM_ERR_SIZE (-2)        /**< a size is negative, zero where it must not be, or overflows */
#define SSM_ERR_VALUE (-3)       /**< a value is NaN/Inf, out of range, or an unknown enum value */
#define SSM_ERR_UNSUPPORTED (-4) /**< the combination of arguments is valid but not supported */
#define SSM_ERR_MEMORY (-5)      /**< the work would exceed the allocation limit, or malloc failed */
#define SSM_ERR_INTERNAL (-6)    /**< a bug in SSMKit: please report it with ssm_last_error() */
#define SSM_ERR_IO (-7)          /**< a file could not be opened, read, written or renamed */

/* Numerical outcomes (positive). */
#define SSM_NOT_CONVERGED 1 /**< an iterative method did not converge */
#define SSM_SINGULAR 2      /**< a matrix that must be inverted is singular to working precision */
#define SSM_UNSTABLE 3      /**< the result overflowed or the system is unstable where it must not be */

/** A static, human-readable name for a status code ("SSM_OK", "SSM_ERR_NULL: ..."). Never NULL;
 *  unknown codes give "unknown status". */
const char *ssm_status_string(int32_t status);

/** The detailed message of the most recent failure on the calling thread, or "" if no call on this
 *  thread has failed yet. The pointer stays valid until the next SSMKit call on the same thread.
 *  Never NULL. A successful call does not clear the message. */
const char *ssm_last_error(void);

/** Sets the largest number of bytes a single call may allocate for its work (outputs are the
 *  caller's). A request above it fails with SSM_ERR_MEMORY before any allocation. Default 4 GiB.
 *  `bytes` must be positive. Process-wide: not thread-safe against concurrent calls to itself. */
int32_t ssm_set_allocation_limit(int64_t bytes);

/** The current allocation limit in bytes (see ssm_set_allocation_limit). */
int64_t ssm_allocation_limit(void);

/* ============================================================================================ */
/* Complex numbers                                                                               */
/* ============================================================================================ */

/** A complex double, interleaved: the layout of numpy complex128 and C99 double _Complex. */
typedef struct {
    double re;
    double im;
} ssm_complex_t;

/* ============================================================================================ */
/* Linear algebra                                                                                */
/* ============================================================================================ */

/** Matrix exponential out = exp(M) of a real n×n matrix, by scaling and squaring: the Padé
 *  approximant of degree 3, 5, 7, 9 or 13 that scipy.linalg.expm chooses (Al-Mohy & Higham 2009),
 *  or, on non-triangular input where it needs fewer matrix products and no more squarings, a
 *  Taylor polynomial of degree 4, 8 or 18 (Bader, Blanes & Casas 2019). Backward stable either way.
 *  n ≥ 1. `M` and `out` may be the same array.
 *  Errors: SSM_ERR_NULL, SSM_ERR_SIZE (n < 1), SSM_ERR_VALUE (non-finite entry),
 *  SSM_UNSTABLE (the result overflows), SSM_ERR_MEMORY. */
int32_t ssm_expm(int64_t n, const double *M, double *out);

/** Matrix exponential of a complex n×n matrix; otherwise as ssm_expm. */
int32_t ssm_expm_complex(int64_t n, const ssm_complex_t *M, ssm_complex_t *out);

/* ============================================================================================ */
/* HiPPO matrices                                                                                */
/* ============================================================================================ */

/** HiPPO measures. Formulas: MATH.md §1 (r_n = sqrt(2n+1), n, k = 0…N−1).
 *  LEGS  scaled Legendre:      A_nk = −r_n r_k (n>k), −(n+1) (n=k), 0 (n<k); B_n = r_n.
 *  LEGT  translated Legendre, window θ: A_nk = −(1/θ) r_n r_k (1 if n≥k else (−1)^(n−k)); B_n = r_n/θ.
 *  LMU   Voelker's Legendre memory unit: A_nk = (2n+1)/θ·(−1 if n<k else (−1)^(n−k+1)),
 *        B_n = (2n+1)(−1)^n/θ.
 *  LAGT  translated Laguerre (state-spaces/s4's A = ½I − tril(ones)): A_nn = −½, A_nk = −1 (n>k);
 *        B_n = 1. θ is ignored.
 *  FOUT  translated Fourier, window θ, N odd, state order [1, cos 2π·1τ, sin 2π·1τ, cos 2π·2τ, …]:
 *        A = (Ω − 2ggᵀ)/θ, B = 2g/θ, g = (1, √2, 0, √2, 0, …), Ω[2m,2m−1] = 2πm = −Ω[2m−1,2m]. */
typedef enum {
    SSM_MEASURE_LEGS = 0,
    SSM_MEASURE_LEGT = 1,
    SSM_MEASURE_LMU = 2,
    SSM_MEASURE_LAGT = 3,
    SSM_MEASURE_FOUT = 4
} ssm_measure_t;

/** Which published scaling a HiPPO function returns.
 *  PAPER  the formulas above (MATH.md §1), with the window θ of the options.
 *  S4     state-spaces/s4's `transition()`: identical to PAPER for LEGS, LMU and LAGT; LEGT is
 *         halved (PAPER with window 2θ, so θ = 1 gives s4's matrices exactly). FOUT: s4 uses another
 *         state order, which is not provided (SSM_ERR_UNSUPPORTED). */
typedef enum {
    SSM_CONVENTION_PAPER = 0,
    SSM_CONVENTION_S4 = 1
} ssm_convention_t;

/** Options of ssm_hippo and ssm_hippo_rank_correction. */
typedef struct {
    int64_t size;       /**< sizeof(ssm_hippo_options_t); set by ssm_hippo_options_default */
    double theta;       /**< window length θ > 0 for LEGT, LMU, FOUT (default 1) */
    int32_t convention; /**< an ssm_convention_t (default SSM_CONVENTION_PAPER) */
} ssm_hippo_options_t;

/** Fills `options` with the defaults (θ = 1, PAPER convention). Errors: SSM_ERR_NULL. */
int32_t ssm_hippo_options_default(ssm_hippo_options_t *options);

/** Parses a measure name ("legs", "legt", "lmu", "lagt", "fout"; case-insensitive) into `measure`.
 *  Errors: SSM_ERR_NULL, SSM_ERR_VALUE (unknown name; the message lists the known ones). */
int32_t ssm_measure_from_name(const char *name, int32_t *measure);

/** The continuous HiPPO system (A, B) of a measure: A is N×N, B has N entries.
 *  N ≥ 1 (FOUT: N odd). `options` may be NULL (defaults).
 *  Errors: SSM_ERR_NULL, SSM_ERR_SIZE, SSM_ERR_VALUE (unknown measure or convention, θ not finite
 *  and positive, or 2θ overflowing in the S4 convention), SSM_ERR_UNSUPPORTED (FOUT in the S4
 *  convention), SSM_UNSTABLE (θ so small that entries overflow), SSM_ERR_MEMORY. */
int32_t ssm_hippo(int32_t measure, int64_t N, const ssm_hippo_options_t *options, double *A,
                  double *B);

/** The rank r of a measure's low-rank correction: 1 for LEGS, LAGT, FOUT; 2 for LEGT.
 *  LMU is a diagonal (non-orthogonal) rescaling of LEGT and has no normal-plus-low-rank form:
 *  SSM_ERR_UNSUPPORTED. Errors: SSM_ERR_NULL, SSM_ERR_VALUE, SSM_ERR_UNSUPPORTED. */
int32_t ssm_hippo_rank(int32_t measure, int64_t *rank);

/** The low-rank correction P (r×N, r from ssm_hippo_rank, rows p_i) such that
 *  S = A + Σ_i p_i p_iᵀ is normal: a multiple of I plus a skew-symmetric matrix.
 *  LEGS p = sqrt(n+½); LEGT p_0 = r_n/√θ on even n (0 on odd), p_1 = r_n/√θ on odd n;
 *  LAGT p = √½·1; FOUT p = sqrt(2/θ)·g. Uses the same options (θ, convention) as ssm_hippo.
 *  Errors: as ssm_hippo and ssm_hippo_rank. */
int32_t ssm_hippo_rank_correction(int32_t measure, int64_t N, const ssm_hippo_options_t *options,
                                  double *P);

/** The diagonal-plus-low-rank (DPLR) form of a measure (MATH.md §2): the normal part
 *  S = A + Σ_i p_i p_iᵀ = c·I + K (K skew) is diagonalized as S = V Λ V* with V unitary, by
 *  a real skew-symmetric eigensolver in float64 (Householder reduction of K to tridiagonal form,
 *  LAPACK's dstevd, V = Q·diag((−i)^k)·Z: a quarter of zheevd's work on −iK); in modal coordinates
 *  V* A V = Λ − Σ_i p̃_i p̃_i* with p̃_i = V* p_i and B̃ = V* B.
 *  pairs != 0: keep the M = N/2 modes with Im λ > 0 (the others are their conjugates; N even);
 *  pairs == 0: all M = N modes. Modes are in increasing Im λ.
 *  Outputs: Lambda (M), P (r×M, row i = p̃_i, r from ssm_hippo_rank), B (M), V (N×M, row-major,
 *  column m = eigenvector of mode m; may be NULL), error (may be NULL): ‖S V − V Λ‖_F/‖S‖_F over
 *  all N modes plus the departure of S from c·I + skew (≈1e-15; the reconstruction error).
 *  Same options as ssm_hippo. Work: about 100·N² bytes; N up to a few thousand.
 *  Errors: as ssm_hippo_rank_correction; SSM_ERR_SIZE (pairs with odd N, e.g. FOUT, or a zero
 *  frequency); SSM_NOT_CONVERGED (the eigensolver failed). */
int32_t ssm_dplr(int32_t measure, int64_t N, const ssm_hippo_options_t *options, int32_t pairs,
                 ssm_complex_t *Lambda, ssm_complex_t *P, ssm_complex_t *B, ssm_complex_t *V,
                 double *error);

/* ============================================================================================ */
/* Discretization                                                                                */
/* ============================================================================================ */

/** Discretization methods. Dense formulas: MATH.md §6 and scipy.signal.cont2discrete.
 *  ZOH            zero-order hold: [[Ad, Bd], [0, I]] = exp([[A, B], [0, 0]]·dt).
 *  FOH            first-order hold (triangle hold), scipy's formula.
 *  GBT            generalized bilinear transform with parameter alpha ∈ [0, 1].
 *  BILINEAR       GBT with alpha = ½ (Tustin).
 *  EULER          GBT with alpha = 0 (forward Euler).
 *  BACKWARD_DIFF  GBT with alpha = 1 (backward Euler).
 *  IMPULSE        impulse invariance: Ad = exp(A dt), Bd = Ad B dt, Dd = C B dt (scipy requires D ≈ 0).
 *  ZOH_A_EULER_B  Mamba's rule, diagonal only: Ā = exp(dt λ), B̄ = dt B. */
typedef enum {
    SSM_METHOD_ZOH = 0,
    SSM_METHOD_FOH = 1,
    SSM_METHOD_GBT = 2,
    SSM_METHOD_BILINEAR = 3,
    SSM_METHOD_EULER = 4,
    SSM_METHOD_BACKWARD_DIFF = 5,
    SSM_METHOD_IMPULSE = 6,
    SSM_METHOD_ZOH_A_EULER_B = 7
} ssm_method_t;

/** What happens to the output matrices (C, D) in dense discretization.
 *  SCIPY       exactly scipy.signal.cont2discrete: GBT gives Cd = C(I − αdtA)⁻¹, Dd = D + αC Bd;
 *              FOH gives Dd = D + C·(third block); IMPULSE gives Dd = C B dt and needs D = 0.
 *  STATE_ONLY  the SSM libraries' convention: only the state update is discretized, Cd = C, Dd = D. */
typedef enum {
    SSM_OUTPUT_SCIPY = 0,
    SSM_OUTPUT_STATE_ONLY = 1
} ssm_output_convention_t;

/** Options of ssm_discretize. */
typedef struct {
    int64_t size;       /**< sizeof(ssm_discretize_options_t); set by ssm_discretize_options_default */
    int32_t method;     /**< an ssm_method_t (default SSM_METHOD_ZOH) */
    double alpha;       /**< GBT parameter in [0, 1], used only by SSM_METHOD_GBT (default 0.5) */
    int32_t convention; /**< an ssm_output_convention_t (default SSM_OUTPUT_SCIPY) */
} ssm_discretize_options_t;

/** Fills `options` with the defaults (ZOH, alpha ½, SCIPY convention). Errors: SSM_ERR_NULL. */
int32_t ssm_discretize_options_default(ssm_discretize_options_t *options);

/** Parses a method name into `method`: "zoh", "foh", "gbt", "bilinear" (or "tustin"), "euler"
 *  (or "forward_diff", "forward"), "backward_diff" (or "backward"), "impulse", "zoh_a_euler_b";
 *  case-insensitive. Errors: SSM_ERR_NULL, SSM_ERR_VALUE (unknown name). */
int32_t ssm_method_from_name(const char *name, int32_t *method);

/** Discretizes the continuous system ẋ = A x + B u, y = C x + D u with step dt:
 *  A n×n, B n×m, C p×n, D p×m in; Ad n×n, Bd n×m, Cd p×n, Dd p×m out.
 *  n ≥ 1, m ≥ 1, p ≥ 0 (with p = 0, C, D, Cd, Dd may be NULL). dt finite and > 0.
 *  `options` may be NULL (ZOH, SCIPY convention). ZOH_A_EULER_B is diagonal-only: SSM_ERR_UNSUPPORTED.
 *  Errors: SSM_ERR_NULL, SSM_ERR_SIZE, SSM_ERR_VALUE (non-finite entry, dt ≤ 0, unknown method or
 *  convention, alpha outside [0, 1], IMPULSE in the SCIPY convention with some |D_ij| > 1e-8, as
 *  scipy's np.allclose(D, 0)), SSM_SINGULAR (I − α dt A singular), SSM_UNSTABLE (dt·A, dt·B or the
 *  result overflows), SSM_ERR_MEMORY (the work, including copies of C and D, exceeds the limit). */
int32_t ssm_discretize(int64_t n, int64_t m, int64_t p, const double *A, const double *B,
                       const double *C, const double *D, double dt,
                       const ssm_discretize_options_t *options, double *Ad, double *Bd, double *Cd,
                       double *Dd);

/** Closed-form discretization of H diagonal complex systems with N modes each, mode by mode
 *  (MATH.md §6), for λ = lambda[h*N + n], b = B[h*N + n] and its step Δ:
 *  ZOH:           Ā = e^{Δλ},                 B̄ = Δ φ1(Δλ) b, φ1(z) = expm1(z)/z, φ1(0) = 1
 *  BILINEAR:      Ā = (1 + Δλ/2)/(1 − Δλ/2),  B̄ = Δ b/(1 − Δλ/2)
 *  EULER:         Ā = 1 + Δλ,                 B̄ = Δ b
 *  BACKWARD_DIFF: Ā = 1/(1 − Δλ),             B̄ = Δ b/(1 − Δλ)
 *  ZOH_A_EULER_B: Ā = e^{Δλ},                 B̄ = Δ b
 *  GBT(alpha) with the `alpha` argument (ignored by the other methods): Ā = (1 + (1−α)Δλ)/(1 − αΔλ),
 *  B̄ = Δ b/(1 − αΔλ). FOH and IMPULSE: SSM_ERR_UNSUPPORTED.
 *  `dt` has `dt_count` entries: 1 (one step for all), H (one per channel) or H·N (one per mode).
 *  `B` may be NULL (b = 1; then B_bar may be NULL too). H ≥ 1, N ≥ 1. Outputs H×N.
 *  Errors: SSM_ERR_NULL, SSM_ERR_SIZE (dt_count not 1, H or H·N), SSM_ERR_VALUE (non-finite input,
 *  a step ≤ 0, unknown method, alpha outside [0, 1]), SSM_SINGULAR (1 − αΔλ = 0),
 *  SSM_UNSTABLE (Δλ or a result overflows), SSM_ERR_MEMORY. */
int32_t ssm_discretize_diag(int32_t method, int64_t H, int64_t N, const ssm_complex_t *lambda,
                            const ssm_complex_t *B, const double *dt, int64_t dt_count,
                            double alpha, ssm_complex_t *lambda_bar, ssm_complex_t *B_bar);

/* ============================================================================================ */
/* Diagonal initializations                                                                      */
/* ============================================================================================ */

/** Diagonal schemes (MATH.md §3), for modes n = 0…M−1 of each of H channels, M = N/2 conjugate-
 *  pair modes (MAMBA2: M = 1 per head):
 *  LEGS    λ = −½ + iω_n, ω the LegS normal part's frequencies (ssm_dplr; S4D-LegS)
 *  LIN     λ = −½ + iπn                           (S4D-Lin)
 *  INV     λ = −½ + i(N/π)(N/(2n+1) − 1)          (S4D-Inv)
 *  REAL    λ = −(n+1)                             (S4D-Real)
 *  RANDOM  λ = −½ + i·exp(z), z ~ N(0, 1)         (s4's "rand")
 *  LRU     discrete λ̄ = r e^{iθ}: r² ~ U(r_min², r_max²), θ ~ U(0, max_phase); γ = √(1 − r²)
 *  MAMBA2  one real λ = −a per head, a ~ U(a_min, a_max) (A = −exp(A_log), A_log = log a). */
typedef enum {
    SSM_DIAG_LEGS = 0,
    SSM_DIAG_LIN = 1,
    SSM_DIAG_INV = 2,
    SSM_DIAG_REAL = 3,
    SSM_DIAG_RANDOM = 4,
    SSM_DIAG_LRU = 5,
    SSM_DIAG_MAMBA2 = 6
} ssm_diag_scheme_t;

/** How B is initialized: ONES (B = 1), HIPPO (LegS's B̃ = V*B from ssm_dplr, per block), RANDOM
 *  (complex normal, real and imaginary parts of variance ½). C is always complex normal like that. */
typedef enum {
    SSM_B_ONES = 0,
    SSM_B_HIPPO = 1,
    SSM_B_RANDOM = 2
} ssm_b_init_t;

/** Options of ssm_diag_init (fill with ssm_diag_options_default first). */
typedef struct {
    int64_t size;          /**< sizeof(ssm_diag_options_t); set by ssm_diag_options_default */
    int32_t scheme;        /**< an ssm_diag_scheme_t (default SSM_DIAG_LIN) */
    int64_t H;             /**< channels (MAMBA2: heads), ≥ 1 (default 1) */
    int64_t N;             /**< state size: even, M = N/2 modes (MAMBA2: any N ≥ 1, M = 1) (default 64) */
    int32_t override_real; /**< non-zero: every Re λ = real_part (0 allowed) (default 0) */
    double real_part;      /**< the override value (default −0.5) */
    double real_scale;     /**< multiplies Re λ after the override (default 1) */
    double imag_scale;     /**< multiplies Im λ (default 1) */
    int32_t b_init;        /**< an ssm_b_init_t (default SSM_B_ONES) */
    int32_t normalize;     /**< non-zero: S4's B /= sqrt(2 Σ_n |B_n/λ_n|²) per channel (default 0) */
    int64_t blocks;        /**< S5's block-diagonal LEGS: J blocks of N/J (default 1) */
    uint64_t seed;         /**< seed of the generator (xoshiro256** seeded by SplitMix64) (default 0) */
    double r_min, r_max;   /**< LRU ring radii, 0 ≤ r_min < r_max ≤ 1 (defaults 0, 1) */
    double max_phase;      /**< LRU phase range (default 2π) */
    double a_min, a_max;   /**< MAMBA2 range, 0 < a_min ≤ a_max (defaults 1, 16) */
} ssm_diag_options_t;

/** Fills `options` with the defaults above. Errors: SSM_ERR_NULL. */
int32_t ssm_diag_options_default(ssm_diag_options_t *options);

/** Parses "legs", "lin", "inv", "real", "random", "lru", "mamba2" (case-insensitive, optional
 *  "s4d-" prefix). Errors: SSM_ERR_NULL, SSM_ERR_VALUE (unknown name). */
int32_t ssm_diag_scheme_from_name(const char *name, int32_t *scheme);

/** The number of modes M per channel the options give (N/2, or 1 for MAMBA2).
 *  Errors: SSM_ERR_NULL, SSM_ERR_VALUE (unknown scheme or unreadable options). */
int32_t ssm_diag_modes(const ssm_diag_options_t *options, int64_t *modes);

/** A diagonal initialization: lambda, B, C (H×M complex, row-major) and gamma (H×M; LRU's
 *  normalization √(1 − |λ̄|²), 1 otherwise). λ is continuous-time, except LRU's discrete λ̄.
 *  B, C and gamma may be NULL. Seeded and reproducible: the draws are made in the order λ, B, C
 *  (ssmkit's documentation gives the exact order and formulas).
 *  Errors: SSM_ERR_NULL, SSM_ERR_SIZE (H, N, blocks), SSM_ERR_VALUE (non-finite or out-of-range
 *  options, normalize with λ = 0), SSM_ERR_UNSUPPORTED (an option that does not apply to the
 *  scheme, e.g. real_part for LRU), SSM_ERR_MEMORY. */
int32_t ssm_diag_init(const ssm_diag_options_t *options, ssm_complex_t *lambda, ssm_complex_t *B,
                      ssm_complex_t *C, double *gamma);

/** How a model stores the timescale Δ: EXP Δ = exp(p) (S4, S4D, S5's log_step);
 *  SOFTPLUS Δ = log(1 + e^p) (Mamba's dt_bias). */
typedef enum {
    SSM_DT_EXP = 0,
    SSM_DT_SOFTPLUS = 1
} ssm_dt_transform_t;

/** `count` log-uniform timescales: dt[k] = exp(log dt_min + U_k·(log dt_max − log dt_min)), U_k the
 *  k-th uniform of the seeded generator (as ssm_diag_init's). One per channel or per mode is the
 *  caller's choice of count. Errors: SSM_ERR_NULL, SSM_ERR_SIZE (count < 1), SSM_ERR_VALUE (unless
 *  0 < dt_min ≤ dt_max, finite), SSM_ERR_MEMORY. */
int32_t ssm_timescales(int64_t count, double dt_min, double dt_max, uint64_t seed, double *dt);

/** Converts between Δ and its stored parameter p, entry by entry (`x` and `out` may be the same):
 *  inverse == 0: out = Δ = transform(x) (softplus without overflow);
 *  inverse != 0: out = p with transform(p) = max(x, floor) for SOFTPLUS (Mamba floors at 1e-4),
 *  log(x) for EXP; the inverse softplus x + log(−expm1(−x)) is accurate for tiny and large x.
 *  Errors: SSM_ERR_NULL, SSM_ERR_SIZE, SSM_ERR_VALUE (unknown transform, non-finite x, x ≤ 0 when
 *  inverting, floor not finite or < 0), SSM_UNSTABLE (exp overflows). */
int32_t ssm_dt_transform(int32_t transform, int32_t inverse, int64_t count, const double *x, double floor,
                         double *out);

/* ============================================================================================ */
/* Kernels, scans and convolution                                                               */
/* ============================================================================================ */

/** Threads the kernel, scan and convolution functions split their channels or rows across:
 *  1…1024, or 0 for the default (all online cores). Process-wide.
 *  Errors: SSM_ERR_VALUE (outside 0…1024). */
int32_t ssm_set_threads(int32_t threads);

/** The thread count in effect (the number of online cores unless ssm_set_threads chose one). */
int32_t ssm_threads(void);

/** The convolution kernel of a diagonal SSM (MATH.md §7):
 *  K[h, l] = f · Re Σ_n w[h, n] · exp(l · z[h, n]),  l = 0 … L−1,  f = 2 if pairs else 1,
 *  with z = log λ̄ (Δλ for zero-order hold, from ssm_discretize_diag) and w = C·B̄ per mode.
 *  With conjugate-pair modes (pairs != 0) this is the kernel of y = 2·Re(C x) of S4D/S5.
 *  Arrays are row-major: z and w H×N, K H×L. Powers come from a blocked table whose entries and
 *  block starts are computed in float64 from exp and cos/sin of the exact multiple l·z: accurate
 *  to a few ulps at any l (no error growth along L), with no H×N×L buffer: beyond K, the work is
 *  2N·160 entries per thread, whatever L. Channels are split across ssm_threads() threads.
 *  Errors: SSM_ERR_NULL, SSM_ERR_SIZE (H, N, L < 1 or overflowing), SSM_ERR_VALUE (non-finite
 *  z or w), SSM_UNSTABLE (K overflows: modes with Re z > 0 grow), SSM_ERR_MEMORY. */
int32_t ssm_kernel_diag(int64_t H, int64_t N, int64_t L, const ssm_complex_t *z, const ssm_complex_t *w,
                        int32_t pairs, double *K);

/** The convolution kernel of diagonal-plus-low-rank (DPLR/NPLR) SSMs as S4 computes it (MATH.md §7):
 *  per channel h, continuous A = diag(Λ) − P Q* (P, Q: N×rank), B, C, step dt[h], bilinear
 *  discretization Ā = (I − Δ/2·A)⁻¹(I + Δ/2·A), B̄ = (I − Δ/2·A)⁻¹·Δ·B, and
 *    K[h, l] = Re(C Ā^l B̄),  l = 0 … L−1,
 *  from the truncated generating function at the L-th roots of unity (Cauchy sums + Woodbury)
 *  and one inverse FFT, with C̃ = C(I − Ā^L) computed from C (L structured steps). No N×N matrix:
 *  O(L·N·(1 + rank)²) per channel. Λ, B, C are H×N; P and Q H×rank×N (row j of channel h is the
 *  j-th column of its P); Q = NULL means Q = P (S4's A = Λ − P P*; ssm_dplr's Λ, P̃, B̃ fit
 *  directly); dt H entries, each > 0; K H×L. pairs != 0: the N modes are one of each conjugate
 *  pair of a real system (as ssm_dplr returns them): the conjugate halves are implied and K is
 *  the real system's kernel. pairs = 0: the modes are all there is and K is the real part.
 *  Conditioning: an error in C̃ reaches K amplified by (I − Ā^L)⁻¹, so modes with λ̄^L ≈ 1
 *  (Re λ = 0 on the DFT grid) are ill-conditioned here and λ = 0 is singular: use
 *  ssm_kernel_diag or ssm_kernel_dense for them. Channels are split across ssm_threads() threads.
 *  Errors: SSM_ERR_NULL, SSM_ERR_SIZE (rank > N, …), SSM_ERR_VALUE (non-finite input, dt ≤ 0),
 *  SSM_SINGULAR (λ = 0, 1 − Δλ/2 = 0, or a singular Woodbury system), SSM_UNSTABLE (K overflows),
 *  SSM_ERR_MEMORY. */
int32_t ssm_kernel_dplr(int64_t H, int64_t N, int64_t rank, int64_t L, const ssm_complex_t *Lambda,
                        const ssm_complex_t *P, const ssm_complex_t *Q, const ssm_complex_t *B,
                        const ssm_complex_t *C, const double *dt, int32_t pairs, double *K);

/** The convolution kernel of a dense discrete system (e.g. from ssm_discretize):
 *  K_l = Cd·Ad^l·Bd (p×m blocks), l = 0 … L−1, by the Krylov sequence V_(l+1) = Ad·V_l.
 *  Ad N×N, Bd N×m, Cd p×N, K L×p×m (row-major; K + l·p·m is the l-th block).
 *  Errors: SSM_ERR_NULL, SSM_ERR_SIZE, SSM_ERR_VALUE (non-finite input), SSM_UNSTABLE (K overflows:
 *  spectral radius above 1), SSM_ERR_MEMORY. */
int32_t ssm_kernel_dense(int64_t N, int64_t m, int64_t p, int64_t L, const double *Ad, const double *Bd,
                         const double *Cd, double *K);

/** The recurrence of a dense discrete system, per batch row (state update first):
 *    x_k = Ad x_(k−1) + Bd u_k,   y_k = Cd x_k + Dd u_k,   from x_(−1) = x0 (NULL: 0).
 *  Ad N×N, Bd N×m, Cd p×N, Dd p×m (NULL: 0); u batch×L×m and y batch×L×p (time-major per row);
 *  x0 and x_final batch×N (may be NULL). Batch rows are split across ssm_threads() threads.
 *  Errors: SSM_ERR_NULL, SSM_ERR_SIZE, SSM_ERR_VALUE (non-finite input), SSM_UNSTABLE (the output
 *  overflows), SSM_ERR_MEMORY. */
int32_t ssm_scan_dense(int64_t batch, int64_t N, int64_t m, int64_t p, int64_t L, const double *Ad,
                       const double *Bd, const double *Cd, const double *Dd, const double *u, const double *x0,
                       double *y, double *x_final);

/** The recurrence of a diagonal SSM, per batch row b and channel h (MATH.md §7):
 *    x_k = λ̄ ⊙ x_(k−1) + B̄ u_k,   y_k = f·Re(C·x_k) + D u_k,   f = 2 if pairs else 1,
 *  from x_(−1) = x0 (NULL: 0); the final state x_(L−1) goes to x_final (may be NULL).
 *  Shapes (row-major): u and y batch×H×L (row (b, h) holds the L steps); lambda_bar, B_bar, C H×N
 *  (discrete: from ssm_discretize_diag); D H entries (NULL: 0); x0, x_final batch×H×N.
 *  The (b, h) rows are split across ssm_threads() threads. With N ≥ 8 and L ≥ 64 a row runs in
 *  chunks of 32 steps as three matrix products (the intra-chunk kernel, the chunk's input sum
 *  and the output of its incoming state) plus an L/32-step recurrence between chunks: the same
 *  result to round-off (1e-12 relative at L = 65536 with |λ̄| = 1), two to three times faster.
 *  Errors: SSM_ERR_NULL, SSM_ERR_SIZE, SSM_ERR_VALUE (non-finite input), SSM_UNSTABLE (the output
 *  overflows: |λ̄| > 1), SSM_ERR_MEMORY. */
int32_t ssm_scan_diag(int64_t batch, int64_t H, int64_t N, int64_t L, const ssm_complex_t *lambda_bar,
                      const ssm_complex_t *B_bar, const ssm_complex_t *C, const double *D, int32_t pairs,
                      const double *u, const ssm_complex_t *x0, double *y, ssm_complex_t *x_final);

/** Causal convolution with the skip term, per batch row b and channel h (row-major):
 *    y[b, h, k] = Σ_(j ≤ k) K[h, j]·u[b, h, k − j] + D[h]·u[b, h, k],   k = 0 … L−1,
 *  by FFT with zero padding to a power of two ≥ 2L − 1 (so no wrap-around). K is H×L (e.g. from
 *  ssm_kernel_diag), u and y batch×H×L, D H entries (NULL: 0). Work: about 2·64·n doubles plus
 *  H·n for the kernels' spectra. Errors: SSM_ERR_NULL, SSM_ERR_SIZE, SSM_ERR_VALUE (non-finite),
 *  SSM_ERR_MEMORY. */
int32_t ssm_convolve(int64_t batch, int64_t H, int64_t L, const double *K, const double *u, const double *D,
                     double *y);

/** The scan with a step per time index and row (selective SSMs, as Mamba): at step k every mode is
 *  discretized with dt[b, h, k] by `method` (ZOH, ZOH_A_EULER_B — Mamba's rule —, or the GBT
 *  family with `alpha` for GBT; as ssm_discretize_diag), then the recurrence of ssm_scan_diag runs.
 *  lambda, B, C H×N continuous; dt, u, y batch×H×L (each dt finite and > 0); D, x0, x_final as
 *  ssm_scan_diag (may be NULL). Errors: as ssm_scan_diag and ssm_discretize_diag. */
int32_t ssm_scan_diag_dt(int64_t batch, int64_t H, int64_t N, int64_t L, int32_t method, double alpha,
                         const ssm_complex_t *lambda, const ssm_complex_t *B, const ssm_complex_t *C,
                         const double *D, int32_t pairs, const double *dt, const double *u,
                         const ssm_complex_t *x0, double *y, ssm_complex_t *x_final);

/* float32 variants. The sequence-sized arrays — K, u, y and dt — are float (numpy float32);
 * the parameters (z, w, lambda, B, C, D) and the states (x0, x_final) stay double/ssm_complex_t:
 * they are small, and they set the accuracy (a float32 λ̄ raised to the power 65536 keeps about
 * three digits, MATH.md §7). Each function computes as its float64 twin, the kernel with float32
 * table entries and matrix products (about 2N roundings per entry), the scans with a float64
 * state, and rounds its output to float once: results agree with the float64 functions to about
 * 1e-7 relative to the output's largest entry at any L. The convolution runs float32 transforms
 * (kernel spectra, products and inverse transforms in float, D·u added in double): it agrees with
 * the float64 convolution to about 3e-7 relative to the output's largest entry (measured 2e-7 at
 * L = 4096, 3e-7 at L = 65536; scipy.fft in float32 gives the same). Arguments, shapes, work space
 * and errors as the float64 functions. */

/** ssm_kernel_diag with a float32 kernel K (H×L). */
int32_t ssm_kernel_diag_f32(int64_t H, int64_t N, int64_t L, const ssm_complex_t *z, const ssm_complex_t *w,
                            int32_t pairs, float *K);

/** ssm_scan_diag with float32 inputs u and outputs y (batch×H×L). */
int32_t ssm_scan_diag_f32(int64_t batch, int64_t H, int64_t N, int64_t L, const ssm_complex_t *lambda_bar,
                          const ssm_complex_t *B_bar, const ssm_complex_t *C, const double *D, int32_t pairs,
                          const float *u, const ssm_complex_t *x0, float *y, ssm_complex_t *x_final);

/** ssm_scan_diag_dt with float32 steps dt, inputs u and outputs y (batch×H×L). */
int32_t ssm_scan_diag_dt_f32(int64_t batch, int64_t H, int64_t N, int64_t L, int32_t method, double alpha,
                             const ssm_complex_t *lambda, const ssm_complex_t *B, const ssm_complex_t *C,
                             const double *D, int32_t pairs, const float *dt, const float *u,
                             const ssm_complex_t *x0, float *y, ssm_complex_t *x_final);

/** ssm_convolve with a float32 kernel K (H×L), inputs u and outputs y (batch×H×L); D stays double. */
int32_t ssm_convolve_f32(int64_t batch, int64_t H, int64_t L, const float *K, const float *u, const double *D,
                         float *y);

/* ============================================================================================ */
/* Training                                                                                     */
/* ============================================================================================ */

/* Models, optimizers and trainers are opaque handles: ssm_X_create(..., &handle), ssm_X_free(handle)
 * (free accepts NULL). A handle is used by one thread at a time; distinct handles are independent.
 * Every model keeps its trainable parameters in one float64 vector (ssm_model_get_parameters),
 * the layout the optimizer and checkpoints use. Gradients are analytic (MATH.md §8). */

typedef struct ssm_model ssm_model_t;
typedef struct ssm_optimizer ssm_optimizer_t;

/** What a model is. DIAGONAL: one layer of H independent S4D-style diagonal SSMs, M conjugate-pair
 *  modes each, y = K * u + D u; u and y batch×H×L. DEEP: encoder, `depth` blocks of [diagonal SSM
 *  → GELU → position-wise linear → residual, optional layer norm], decoder; u batch×inputs×L,
 *  outputs batch×outputs×L (pooling NONE) or batch×outputs. DENSE: a dense discrete SSM with
 *  trainable C̄, D̄ (and optionally Ā, B̄), made by ssm_model_create_dense; u batch×L×m, y batch×L×p. */
typedef enum {
    SSM_MODEL_DIAGONAL = 0,
    SSM_MODEL_DEEP = 1,
    SSM_MODEL_DENSE = 2
} ssm_model_kind_t;

/** How Re λ is stored: DIRECT (0 reachable), DIRECT_CLAMPED (and clamped ≤ 0 after every step),
 *  NEG_EXP (Re λ = −exp(a)), NEG_SOFTPLUS (Re λ = −softplus(a)). */
typedef enum {
    SSM_REAL_DIRECT = 0,
    SSM_REAL_DIRECT_CLAMPED = 1,
    SSM_REAL_NEG_EXP = 2,
    SSM_REAL_NEG_SOFTPLUS = 3
} ssm_real_param_t;

/** What a DEEP model does with its outputs over time. */
typedef enum {
    SSM_POOL_NONE = 0,
    SSM_POOL_LAST = 1,
    SSM_POOL_MEAN = 2
} ssm_pooling_t;

/** The loss: MSE against targets (with an optional mask), or softmax cross-entropy of a pooled DEEP
 *  model's outputs (class logits) against labels. */
typedef enum {
    SSM_LOSS_MSE = 0,
    SSM_LOSS_CROSS_ENTROPY = 1
} ssm_objective_t;

/** How the diagonal SSM layers run: kernel + FFT convolution, or the recurrence (same results). */
typedef enum {
    SSM_PATH_CONVOLUTION = 0,
    SSM_PATH_SCAN = 1
} ssm_path_t;

/** The precision of a model's activations (its sequence-sized arrays). Parameters, gradients and
 *  optimizer state are double either way; FLOAT32 halves the activations' memory and runs the FFT
 *  convolutions and position-wise products in float32 (gradients then agree with FLOAT64 to about
 *  1e-5 relative). The scan path (SSM_PATH_SCAN) keeps its states in double in both. */
typedef enum {
    SSM_PRECISION_FLOAT64 = 0,
    SSM_PRECISION_FLOAT32 = 1
} ssm_precision_t;

/** Options of ssm_model_create (fill with ssm_model_options_default first). */
typedef struct {
    int64_t size;           /**< sizeof(ssm_model_options_t); set by ssm_model_options_default */
    int32_t kind;           /**< SSM_MODEL_DIAGONAL or SSM_MODEL_DEEP (default DIAGONAL) */
    int64_t H;              /**< channels (default 1) */
    int64_t M;              /**< modes per channel, each a conjugate pair (state size N = 2M) (default 16) */
    int64_t inputs;         /**< DEEP: input features per step (default 1) */
    int64_t outputs;        /**< DEEP: outputs per step, or classes (default 1) */
    int64_t depth;          /**< DEEP: blocks (default 2) */
    int32_t layer_norm;     /**< DEEP: non-zero for layer norm after each residual (default 1) */
    int32_t pooling;        /**< DEEP: an ssm_pooling_t (default NONE) */
    int32_t objective;      /**< an ssm_objective_t; CROSS_ENTROPY needs a pooled DEEP model (default MSE) */
    int32_t real_param;     /**< an ssm_real_param_t (default DIRECT) */
    int32_t dt_transform;   /**< an ssm_dt_transform_t for Δ (default EXP) */
    int32_t path;           /**< an ssm_path_t (default CONVOLUTION) */
    uint64_t seed;          /**< DEEP: seed of the dense weights (uniform ±1/√fan_in) (default 0) */
    int32_t precision;      /**< an ssm_precision_t for the activations (default FLOAT64) */
} ssm_model_options_t;

/** Fills `options` with the defaults above. Errors: SSM_ERR_NULL. */
int32_t ssm_model_options_default(ssm_model_options_t *options);

/** A DIAGONAL or DEEP model with all SSM parameters zero: set them with ssm_model_set_ssm.
 *  Errors: SSM_ERR_NULL, SSM_ERR_SIZE, SSM_ERR_VALUE (unknown enum values, cross-entropy without
 *  pooling), SSM_ERR_MEMORY. */
int32_t ssm_model_create(const ssm_model_options_t *options, ssm_model_t **model);

/** A DENSE model from discrete Ad (N×N), Bd (N×m), Cd (p×N), Dd (p×m; NULL: 0), row-major; (Cd, Dd)
 *  are trained, and (Ad, Bd) too when train_dynamics != 0 (parameter order: Cd, Dd, Ad, Bd).
 *  Errors: SSM_ERR_NULL, SSM_ERR_SIZE, SSM_ERR_VALUE (non-finite), SSM_ERR_MEMORY. */
int32_t ssm_model_create_dense(int64_t N, int64_t m, int64_t p, const double *Ad, const double *Bd, const double *Cd,
                               const double *Dd, int32_t train_dynamics, ssm_model_t **model);

/** Frees a model (NULL is allowed). A trainer that uses it keeps its own reference. */
void ssm_model_free(ssm_model_t *model);

/** Sets the diagonal SSM layer of block `block` (DIAGONAL: 0) from continuous modes: Lambda, B, C
 *  (H×M complex), D (H; NULL: 0) and dt (H, each > 0), inverting the parameterizations (NEG_EXP and
 *  NEG_SOFTPLUS need Re λ < 0). Any scheme of ssm_diag_init fits (use its H and M = N/2).
 *  Errors: SSM_ERR_NULL, SSM_ERR_SIZE (block out of range), SSM_ERR_VALUE, SSM_ERR_UNSUPPORTED (DENSE). */
int32_t ssm_model_set_ssm(ssm_model_t *model, int64_t block, const ssm_complex_t *Lambda, const ssm_complex_t *B,
                          const ssm_complex_t *C, const double *D, const double *dt);

/** The number of trainable parameters. Errors: SSM_ERR_NULL. */
int32_t ssm_model_parameter_count(const ssm_model_t *model, int64_t *count);

/** Copies the `count` parameters out / in (count must equal ssm_model_parameter_count). Setting
 *  applies the clamp of SSM_REAL_DIRECT_CLAMPED. Errors: SSM_ERR_NULL, SSM_ERR_SIZE, SSM_ERR_VALUE. */
int32_t ssm_model_get_parameters(const ssm_model_t *model, int64_t count, double *values);
int32_t ssm_model_set_parameters(ssm_model_t *model, int64_t count, const double *values);

/** Entries of one example's input and output at length L (see ssm_model_kind_t for the layouts).
 *  Errors: SSM_ERR_NULL, SSM_ERR_SIZE. */
int32_t ssm_model_shapes(const ssm_model_t *model, int64_t L, int64_t *input_size, int64_t *output_size);

/** The outputs of `batch` examples of length L (layouts: ssm_model_kind_t). Thread-safe against
 *  other read-only calls on the same model. Errors: SSM_ERR_NULL, SSM_ERR_SIZE, SSM_ERR_VALUE
 *  (non-finite input or parameters), SSM_UNSTABLE (overflow). */
int32_t ssm_model_forward(const ssm_model_t *model, int64_t batch, int64_t L, const double *u, double *y);

/** The loss of a batch, its metric (accuracy for cross-entropy; loss / mean square of the targets
 *  for MSE) and the gradient of the loss with respect to every parameter (`gradient` holds
 *  ssm_model_parameter_count entries; NULL: not computed). MSE: `targets` has the outputs' shape and
 *  `mask` (NULL: all ones) weights its entries; CROSS_ENTROPY: `labels` holds `batch` classes.
 *  Errors: SSM_ERR_NULL, SSM_ERR_SIZE, SSM_ERR_VALUE (non-finite data, labels out of range, an
 *  all-zero mask), SSM_UNSTABLE (overflow). */
int32_t ssm_model_loss_gradient(const ssm_model_t *model, int64_t batch, int64_t L, const double *u,
                                const double *targets, const double *mask, const int64_t *labels,
                                double *loss, double *metric, double *gradient);

/** Optimizer update rules: SGD (momentum, Nesterov), ADAM (L2 decay in the gradient), ADAMW
 *  (decoupled decay). */
typedef enum {
    SSM_OPT_SGD = 0,
    SSM_OPT_ADAM = 1,
    SSM_OPT_ADAMW = 2
} ssm_optimizer_rule_t;

/** Options of ssm_optimizer_create (fill with ssm_optimizer_options_default first). The SSM
 *  parameters (Re λ, Im λ, B, Δ of every diagonal layer) form their own group with
 *  ssm_learning_rate and ssm_weight_decay, as s4/S5 train them; everything else uses
 *  learning_rate and weight_decay. The learning rate follows a linear warmup over `warmup` steps,
 *  then a cosine decay to lr_floor × rate at step total_steps (0: constant after warmup). */
typedef struct {
    int64_t size;             /**< sizeof(ssm_optimizer_options_t); set by ssm_optimizer_options_default */
    int32_t rule;             /**< an ssm_optimizer_rule_t (default ADAMW) */
    double learning_rate;     /**< > 0 (default 1e-3) */
    double weight_decay;      /**< ≥ 0 (default 0.01) */
    double ssm_learning_rate; /**< > 0, or 0 for learning_rate (default 0) */
    double ssm_weight_decay;  /**< ≥ 0 (default 0) */
    double momentum;          /**< SGD, in [0, 1) (default 0.9) */
    int32_t nesterov;         /**< SGD (default 0) */
    double beta1, beta2;      /**< ADAM/ADAMW, in [0, 1) (defaults 0.9, 0.999) */
    double epsilon;           /**< ADAM/ADAMW, > 0 (default 1e-8) */
    double clip_norm;         /**< global gradient-norm clip, > 0, or 0 for none (default 0) */
    int64_t warmup;           /**< warmup steps (default 0) */
    int64_t total_steps;      /**< end of the cosine decay, or 0 (default 0) */
    double lr_floor;          /**< final fraction of the rate, in [0, 1] (default 0) */
} ssm_optimizer_options_t;

/** Fills `options` with the defaults above. Errors: SSM_ERR_NULL. */
int32_t ssm_optimizer_options_default(ssm_optimizer_options_t *options);

/** An optimizer for `model`'s parameters (zero moments, step 0).
 *  Errors: SSM_ERR_NULL, SSM_ERR_VALUE (rates ≤ 0, decay < 0, betas outside [0, 1), …), SSM_ERR_MEMORY. */
int32_t ssm_optimizer_create(const ssm_model_t *model, const ssm_optimizer_options_t *options,
                             ssm_optimizer_t **optimizer);

/** Frees an optimizer (NULL is allowed). */
void ssm_optimizer_free(ssm_optimizer_t *optimizer);

/** One update of `model`'s parameters from `gradient` (count entries, the model's parameter count);
 *  the gradient norm before clipping goes to `gradient_norm` (may be NULL). A non-finite gradient
 *  changes nothing. Errors: SSM_ERR_NULL, SSM_ERR_SIZE (count, or a model of another size),
 *  SSM_ERR_VALUE (non-finite gradient). */
int32_t ssm_optimizer_step(ssm_optimizer_t *optimizer, ssm_model_t *model, int64_t count, const double *gradient,
                           double *gradient_norm);

/** The number of steps taken. Errors: SSM_ERR_NULL. */
int32_t ssm_optimizer_steps(const ssm_optimizer_t *optimizer, int64_t *steps);

typedef struct ssm_trainer ssm_trainer_t;

/** What the progress callback receives after every training step. */
typedef struct {
    int64_t epoch;            /**< 0-based */
    int64_t step;             /**< steps of this ssm_trainer_run so far (1 after the first) */
    int64_t total_steps;      /**< steps the run will take if not stopped */
    double loss;              /**< the step's batch loss */
    double metric;            /**< accuracy (cross-entropy) or relative loss (MSE) of the batch */
    double gradient_norm;     /**< before clipping */
    double learning_rate_factor; /**< the schedule's factor at this step */
    double seconds;           /**< since the run started */
} ssm_progress_t;

/** A progress callback: return 0 to go on, non-zero to cancel (the model keeps the last completed
 *  step's parameters). */
typedef int32_t (*ssm_progress_fn)(const ssm_progress_t *progress, void *user);

/** Why a run ended. */
typedef enum {
    SSM_STOP_COMPLETED = 0,
    SSM_STOP_CANCELLED = 1,
    SSM_STOP_NON_FINITE = 2   /**< a NaN/Inf loss or gradient, or overflowing outputs: that step was not applied */
} ssm_stop_t;

/** A trainer: `model` and `optimizer` (the trainer keeps references: freeing them first is safe)
 *  and a copy of `count` examples of length L: `inputs` count × input_size (ssm_model_shapes), and
 *  `targets` (+ `mask`, NULL: all ones) count × output_size for MSE or `labels` (count entries) for
 *  cross-entropy. Batches of batch_size, reshuffled every epoch by the seeded generator.
 *  Errors: SSM_ERR_NULL, SSM_ERR_SIZE, SSM_ERR_VALUE (empty dataset, batch_size < 1, non-finite
 *  data, labels out of range, an optimizer of another size), SSM_ERR_MEMORY. */
int32_t ssm_trainer_create(ssm_model_t *model, ssm_optimizer_t *optimizer, int64_t count, int64_t L, const double *inputs,
                           const double *targets, const double *mask, const int64_t *labels, int64_t batch_size,
                           uint64_t seed, ssm_trainer_t **trainer);

/** Frees a trainer (NULL is allowed). */
void ssm_trainer_free(ssm_trainer_t *trainer);

/** Trains for `epochs` epochs (continuing the optimizer's step count and the trainer's history),
 *  calling `progress` (may be NULL) after every step; `stop` (may be NULL) receives an ssm_stop_t.
 *  The run works on the model's and optimizer's state and stores it back when it returns: do not use
 *  those handles during the run (not from another thread, not from the callback — they still show
 *  the state before the run there).
 *  A cancelled or diverged run is not an error (status 0: read `stop` and ssm_trainer_message).
 *  Errors: SSM_ERR_NULL, SSM_ERR_VALUE (epochs < 1), and the model's errors on bad data; the steps
 *  applied before an error stay in the model, the optimizer and the history, and
 *  ssm_trainer_message says where it stopped. */
int32_t ssm_trainer_run(ssm_trainer_t *trainer, int64_t epochs, ssm_progress_fn progress, void *user, int32_t *stop);

/** The history of every step so far: its count in `steps`, and (arrays of at least *steps entries,
 *  each may be NULL) the batch losses and metrics. Call with NULL arrays to learn the count.
 *  Errors: SSM_ERR_NULL (trainer or steps). */
int32_t ssm_trainer_history(const ssm_trainer_t *trainer, int64_t *steps, double *losses, double *metrics);

/** A message on how the last run ended (a static-lifetime copy owned by the trainer; valid until the
 *  next run or free). NULL trainer: "". */
const char *ssm_trainer_message(const ssm_trainer_t *trainer);

/** Saves `model`'s parameters and, if `optimizer` is not NULL, its state (step and moments) to a
 *  safetensors file at `path` (UTF-8), written to a temporary file and renamed (atomic). Readable by
 *  the `safetensors` Python package and numpy: tensors "parameters.<block>" (float64; blocks as in
 *  the library's documentation), "optimizer.first", "optimizer.second" (float64), "optimizer.step"
 *  (int64), metadata "ssmkit.*" (format, model kind), "config.*" (what must match on load).
 *  Errors: SSM_ERR_NULL, SSM_ERR_SIZE (an optimizer of another model), SSM_ERR_IO. */
int32_t ssm_checkpoint_save(const ssm_model_t *model, const ssm_optimizer_t *optimizer, const char *path);

/** Loads a checkpoint into `model` (same kind and configuration) and, if `optimizer` is not NULL,
 *  its state (same rule; the optimizer keeps its own rates). A truncated, corrupted or hostile file
 *  is rejected before anything changes; files larger than the allocation limit are refused (loading
 *  holds about twice the file's size while it checks it).
 *  Errors: SSM_ERR_NULL, SSM_ERR_IO (cannot read), SSM_ERR_SIZE (a block of another shape, a
 *  malformed file), SSM_ERR_VALUE (another model kind or configuration, a malformed header,
 *  non-finite values), SSM_ERR_UNSUPPORTED (an unknown dtype or a newer format), SSM_ERR_MEMORY. */
int32_t ssm_checkpoint_load(ssm_model_t *model, ssm_optimizer_t *optimizer, const char *path);

/* Tasks and data. Every draw comes from the seeded generator (xoshiro256**), in the documented
 * order, so the same seed gives the same arrays from Swift, C and Python. Arrays are row-major. */

/** Stationary zero-mean unit-variance input processes with autocorrelation ρ(k):
 *  WHITE ρ = δ_k; AR1 x_t = φ x_(t−1) + √(1 − φ²) ε_t, ρ = φ^|k| (parameter φ, |φ| < 1, stationary
 *  start); POWER_LAW ρ = (1 + |k|)^(−α) (parameter α > 0; exact, by circulant embedding);
 *  CONSTANT one N(0, 1) value held over the sequence, ρ = 1. */
typedef enum {
    SSM_INPUT_WHITE = 0,
    SSM_INPUT_AR1 = 1,
    SSM_INPUT_POWER_LAW = 2,
    SSM_INPUT_CONSTANT = 3
} ssm_input_process_t;

/** `count` sequences of length L of `process` (parameter: φ or α; ignored otherwise) into x
 *  (count×L). Errors: SSM_ERR_NULL, SSM_ERR_SIZE, SSM_ERR_VALUE (unknown process, |φ| ≥ 1, α ≤ 0),
 *  SSM_ERR_MEMORY. */
int32_t ssm_input_generate(int32_t process, double parameter, int64_t count, int64_t L, uint64_t seed, double *x);

/** The theoretical autocorrelation ρ(0) … ρ(lags − 1) of `process` into rho.
 *  Errors: SSM_ERR_NULL, SSM_ERR_SIZE, SSM_ERR_VALUE. */
int32_t ssm_input_autocorrelation(int32_t process, double parameter, int64_t lags, double *rho);

/** Memory kernels ρ_T(s) of target linear functionals y_t = Σ_(s≤t) ρ_T(t − s) x_s: EXPONENTIAL
 *  e^(−s/τ) (parameter τ > 0), POWER_LAW (1 + s)^(−β) (β > 0), DELAY y_t = x_(t−d) (d, a whole
 *  number ≥ 0). */
typedef enum {
    SSM_MEMORY_EXPONENTIAL = 0,
    SSM_MEMORY_POWER_LAW = 1,
    SSM_MEMORY_DELAY = 2
} ssm_memory_kernel_t;

/** ρ_T(0) … ρ_T(L − 1) into weights, divided by √(Σ ρ_T²) when normalized != 0 (then white
 *  unit-variance input gives Var(y_(L−1)) = 1). Errors: SSM_ERR_NULL, SSM_ERR_SIZE, SSM_ERR_VALUE. */
int32_t ssm_memory_weights(int32_t kernel, double parameter, int32_t normalized, int64_t L, double *weights);

/** The targets y (count×L) of inputs x (count×L): y_t = Σ_(s≤t) w(t − s) x_s with the weights of
 *  ssm_memory_weights (a delay is an exact shift; the others use the FFT causal convolution).
 *  Errors: SSM_ERR_NULL, SSM_ERR_SIZE, SSM_ERR_VALUE (non-finite x and the weights' errors). */
int32_t ssm_memory_target(int32_t kernel, double parameter, int32_t normalized, int64_t count, int64_t L,
                          const double *x, double *y);

/** Delayed recall of real values: item i (N(0, 1)) of a pattern of `length` M is shown at step i
 *  and must be reproduced at step delay + i (M ≤ delay, delay + M ≤ L). inputs count×L×2 (channel 0
 *  the value at steps 0…M−1, channel 1 the cue: 1 at the recall steps); targets count×L (the values
 *  at the recall steps, 0 elsewhere); mask count×L (1 at the recall steps) — any of the three may be
 *  NULL. Errors: SSM_ERR_NULL (all NULL), SSM_ERR_SIZE, SSM_ERR_VALUE. */
int32_t ssm_delayed_recall(int64_t count, int64_t L, int64_t length, int64_t delay, uint64_t seed, double *inputs,
                           double *targets, double *mask);

/** Which of K frequencies a noisy sinusoid has: x_t = A sin(ω_k t + θ) + σ ε_t with ω_k = 2π(first +
 *  k·spacing)/L, k uniform, θ ~ U[0, 2π), A ~ U[1 − jitter, 1 + jitter], σ = √(1/(2·snr)).
 *  inputs count×L, labels count (0…K−1). Errors: SSM_ERR_NULL, SSM_ERR_SIZE, SSM_ERR_VALUE (K < 2,
 *  jitter outside [0, 1), snr ≤ 0, repeated frequencies). */
int32_t ssm_sinusoid_task(int64_t count, int64_t L, int64_t classes, int64_t first, int64_t spacing, double jitter,
                          double snr, uint64_t seed, double *inputs, int64_t *labels);

/* ============================================================================================ */
/* Autocorrelation: estimators                                                                  */
/* ============================================================================================ */

/* Sample autocorrelation of a batch of sequences, the Toeplitz matrix R of an autocorrelation,
 * its largest eigenvalue, and the long-memory exponent (MATH.md §5; issue 5). */

/** Options of ssm_acf (fill with ssm_acf_options_default first). */
typedef struct {
    int64_t size;       /**< sizeof(ssm_acf_options_t); set by ssm_acf_options_default */
    int32_t biased;     /**< non-zero: r(k) = S(k)/n_0; zero: S(k)/n_k, unbiased (default 1) */
    int32_t centered;   /**< non-zero: subtract the mean of all present values of x first (default 1) */
    int32_t normalized; /**< non-zero: divide by r(0), the autocorrelation ρ with ρ(0) = 1; zero: the
                             autocovariance (default 1) */
} ssm_acf_options_t;

/** Fills `options` with the defaults (biased, centered, normalized). Errors: SSM_ERR_NULL. */
int32_t ssm_acf_options_default(ssm_acf_options_t *options);

/** The sample autocorrelation r(0) … r(lags − 1) of `count` sequences of length L, x count×L
 *  (row-major), pooled over the rows: one estimate of the process all rows are drawn from.
 *  Missing values: here, unlike elsewhere in this header, a NaN entry is not an error but a
 *  missing value. With y_t = x_t − μ (μ the mean of all present values if centered, else 0), the
 *  lag-k sum S(k) = Σ_rows Σ_t y_t y_(t+k) runs over the pairs (t, t + k) with both values present,
 *  and n_k counts those pairs (n_0 = the number of present values). biased: r(k) = S(k)/n_0;
 *  unbiased: r(k) = S(k)/n_k. With nothing missing these are the classical estimators
 *  (n_0 = count·L, n_k = count·(L − k)). normalized: every r(k) is divided by r(0).
 *  By FFT, rows zero-padded to n ≥ L + lags − 1 (no pair wraps around): O(count·L log L), absolute
 *  accuracy about 1e-15·r(0)·log2 L. Rows are split across ssm_threads() threads.
 *  1 ≤ lags ≤ L. acf has `lags` entries; pairs (may be NULL) receives n_0 … n_(lags−1).
 *  `options` may be NULL (defaults). Work: about 50·n doubles per thread.
 *  Errors: SSM_ERR_NULL, SSM_ERR_SIZE (count, L < 1; lags outside 1…L), SSM_ERR_VALUE (an infinite
 *  entry; every entry NaN; a lag with no present pair, named in the message; normalized with
 *  r(0) = 0, i.e. all present values equal (centered) or zero (not centered); unreadable options),
 *  SSM_UNSTABLE (the autocovariance overflows), SSM_ERR_MEMORY. */
int32_t ssm_acf(int64_t count, int64_t L, const double *x, int64_t lags, const ssm_acf_options_t *options,
                double *acf, int64_t *pairs);

/** The L×L symmetric Toeplitz matrix R[i, j] = r(|i − j|) of r(0) … r(L − 1), row-major. The dense
 *  form is for small L; for long sequences use ssm_toeplitz_matvec and ssm_toeplitz_lambda_max.
 *  Errors: SSM_ERR_NULL, SSM_ERR_SIZE (L < 1, L·L overflows), SSM_ERR_VALUE (non-finite r). */
int32_t ssm_toeplitz(int64_t L, const double *r, double *R);

/** out = R·v for `count` vectors v (count×L, row-major), R the symmetric Toeplitz matrix of
 *  r(0) … r(L − 1), in O(L log L) each without forming R: R is the top-left block of a circulant of
 *  size m ≥ 2L − 1 whose eigenvalues (one FFT of the embedded r) are computed once per call.
 *  Accurate to about 1e-15·‖R‖·‖v‖·log2 L. `v` and `out` may be the same array. Vectors are split
 *  across ssm_threads() threads. Errors: SSM_ERR_NULL, SSM_ERR_SIZE, SSM_ERR_VALUE (non-finite r
 *  or v), SSM_ERR_MEMORY. */
int32_t ssm_toeplitz_matvec(int64_t L, const double *r, int64_t count, const double *v, double *out);

/** How ssm_toeplitz_lambda_max computes the largest eigenvalue.
 *  LANCZOS  Lanczos with the O(L log L) products of ssm_toeplitz_matvec, any L. Three vectors of
 *           length L (no full reorthogonalization: the largest Ritz value keeps its accuracy).
 *  DENSE    the dense matrix and LAPACK's symmetric eigensolver (dsyevd): O(L³), L ≤ 46340; a
 *           check for small L. */
typedef enum {
    SSM_EIGEN_LANCZOS = 0,
    SSM_EIGEN_DENSE = 1
} ssm_eigen_method_t;

/** λ_max of the symmetric Toeplitz matrix R of r(0) … r(L − 1) into `value` (the timescale rule
 *  Δ = κ/√(L·λ_max(R)), MATH.md §4). LANCZOS starts from cos(ω* t), ω* the peak of the circulant
 *  embedding's spectrum, plus a little seeded noise (deterministic), and stops when the largest Ritz
 *  value θ (a lower bound on λ_max) has a residual bound ‖R y − θ y‖ = β_k·|s_k| ≤ tol·|θ| or lies
 *  within tol·|θ| of the circulant's largest eigenvalue (an upper bound on λ_max, by interlacing);
 *  `iterations` (may be NULL) receives the steps taken (one product each) and `residual` (may be
 *  NULL) the smaller of those two bounds. If max_iter steps are not enough the
 *  status is SSM_NOT_CONVERGED and value, iterations and residual hold the last estimate (a lower
 *  bound on λ_max). Clustered top eigenvalues converge slowly (AR(1) with φ near 1 at large L);
 *  separated ones fast (power laws, constant input; white noise in one step). DENSE ignores tol and
 *  max_iter and gives iterations = 0, residual = 0. tol in (0, 1) (1e-12 is a good default),
 *  max_iter ≥ 1 (LANCZOS).
 *  Errors: SSM_ERR_NULL, SSM_ERR_SIZE (L < 1; DENSE with L > 46340), SSM_ERR_VALUE (non-finite r,
 *  unknown method, tol or max_iter out of range), SSM_NOT_CONVERGED, SSM_ERR_MEMORY. */
int32_t ssm_toeplitz_lambda_max(int64_t L, const double *r, int32_t method, double tol, int64_t max_iter,
                                double *value, int64_t *iterations, double *residual);

/** The long-memory exponent: fits r(k) ≈ c·k^(−α) by least squares on log r(k) against log k over
 *  the lags k = kmin … kmax with r(k) > 0 (others are skipped). acf holds r(0) … r(lags − 1) (e.g.
 *  from ssm_acf); 1 ≤ kmin ≤ kmax ≤ lags − 1. Outputs α, c (may be NULL), the number of lags used
 *  (may be NULL) and R² of the log–log fit (may be NULL; 1 if every log r(k) is equal).
 *  Errors: SSM_ERR_NULL, SSM_ERR_SIZE (lags < 1), SSM_ERR_VALUE (non-finite acf, lag range out of
 *  bounds, fewer than 3 usable lags), SSM_UNSTABLE (c overflows). */
int32_t ssm_long_memory_fit(int64_t lags, const double *acf, int64_t kmin, int64_t kmax, double *alpha,
                            double *c, int64_t *used, double *r_squared);

/* ============================================================================================ */
/* Autocorrelation: theory                                                                      */
/* ============================================================================================ */

/* Output power of a diagonal SSM under an input autocorrelation, its bound, the critical timescale,
 * memory at initialization, Gram matrices and conditioning (MATH.md §4–§5; issue 5). */

/* The model of this section: a diagonal single-input single-output SSM ḣ = W h + B x, y = Re(cᵀh),
 * W = diag(w), N modes w_j = a_j + i b_j, discretized by zero-order hold with step dt:
 * Ā_j = e^(dt·w_j), B̄_j = dt·φ1(dt·w_j)·B_j, φ1(z) = (e^z − 1)/z. The output is Re(cᵀh) with no
 * factor 2 (MATH.md §5): a conjugate-pair model read out as 2·Re(cᵀh) (ssm_diag_init's N/2 modes) is
 * this model with c replaced by 2c, which multiplies every power by 4.
 * Arrays: w, B, c are N ssm_complex_t each; B may be NULL everywhere (every B_j = 1). The input is
 * stationary with autocorrelation r(0…L−1), L doubles (R = Toeplitz(r), L×L); r should be a valid
 * autocorrelation (R positive semidefinite), which is not checked (a power may then be negative).
 * Errors every function here can return: SSM_ERR_NULL, SSM_ERR_SIZE (N or L < 1, sizes that
 * overflow), SSM_ERR_VALUE (NaN/Inf in an array or scalar, dt ≤ 0), SSM_ERR_MEMORY. */

/** The output's weights on past inputs, rho[m] = ρ_m = Re Σ_j c_j B̄_j e^(dt·w_j·m), m = 0…L−1
 *  (L doubles): y_L = Σ_m ρ_m x_(L−m) for inputs x_1…x_L and h_0 = 0.
 *  Errors: the common ones, SSM_UNSTABLE (a mode with Re w > 0 overflows). */
int32_t ssm_output_weights(int64_t N, const ssm_complex_t *w, const ssm_complex_t *B, const ssm_complex_t *c,
                           double dt, int64_t L, double *rho);

/** The output power E[y_L²] = ρ̃ᵀ R ρ̃ into *power (ρ of ssm_output_weights, ρ̃ reversed; equal to
 *  ρᵀ R ρ because a symmetric Toeplitz R commutes with the reversal). R ρ is an O(L log L) FFT
 *  product (circulant embedding). Errors: as ssm_output_weights. */
int32_t ssm_output_power(int64_t N, const ssm_complex_t *w, const ssm_complex_t *B, const ssm_complex_t *c,
                         double dt, int64_t L, const double *r, double *power);

/** The output power averaged over a random readout c ~ CN(0, I) (independent standard complex
 *  normals, E|c_j|² = 1) into *power: E_c E_x[y_L²] = ½ Σ_j |B̄_j|² v_jᴴ R v_j, v_j = (e^(dt·w_j·m))_m,
 *  each quadratic form a sum over lags, O(N·L) in all. One mode w = 0, B = 1: ½dt²L for white noise,
 *  ½dt²L² for a constant input. Errors: the common ones, SSM_UNSTABLE (overflow, Re w > 0). */
int32_t ssm_expected_output_power(int64_t N, const ssm_complex_t *w, const ssm_complex_t *B, double dt, int64_t L,
                                  const double *r, double *power);

/** The bound of Theorem 4.1's direction into *bound: E[y_L²] ≤ dt²·L·λ_max(R)·(Σ_j |c_j B_j|)², valid
 *  for Re w_j ≤ 0 and tight for w = 0, c_j B_j > 0 and a constant input. lambda_max is the largest
 *  eigenvalue of R, computed by the caller (any upper bound of it gives a looser valid bound).
 *  Errors: the common ones, SSM_ERR_VALUE (some Re w > 0, lambda_max < 0), SSM_UNSTABLE (overflow). */
int32_t ssm_output_power_bound(int64_t N, const ssm_complex_t *w, const ssm_complex_t *B, const ssm_complex_t *c,
                               double dt, int64_t L, double lambda_max, double *bound);

/** The critical timescale Δ* with E_c E_x[y_L²](Δ*) = target (ssm_expected_output_power; target 1:
 *  unit output), into *dt, solved in log Δ: the power is sampled on the grid Δ_k = dt_min·2^k (the
 *  last point dt_max) and the first interval where it crosses the target from below is refined by
 *  Brent's method to about 1e-14 relative. One real mode w ≤ 0 under white or constant input gives
 *  a power increasing in Δ (a unique root); oscillating modes need not be monotone, and this returns
 *  the smallest root unless the power crosses the target and comes back within one factor of 2 below
 *  it. *iterations gets
 *  Brent's iterations, *evaluations all evaluations of the power (grid included); either may be NULL.
 *  Needs 0 < dt_min < dt_max (the Python defaults: 1e-8, 1e3), target > 0 and Re w ≤ 0.
 *  Errors: the common ones, SSM_ERR_VALUE (some Re w > 0, target ≤ 0, a bad bracket),
 *  SSM_NOT_CONVERGED (no root in [dt_min, dt_max]: the power already exceeds the target at dt_min,
 *  or stays below it up to dt_max, e.g. modes with Re w < 0 saturate at ½ Σ_j |B_j/w_j|² r(0)). */
int32_t ssm_critical_timescale(int64_t N, const ssm_complex_t *w, const ssm_complex_t *B, int64_t L, const double *r,
                               double target, double dt_min, double dt_max, double *dt, int64_t *iterations,
                               int64_t *evaluations);

/** The rule of thumb of MATH.md §4 into *dt: Δ = kappa/√(L·λ_max(R)) (kappa = O(1), 1 by default in
 *  Python): white noise gives Δ ∝ L^(−½), a constant input Δ ∝ 1/L. Errors: SSM_ERR_NULL,
 *  SSM_ERR_SIZE (L < 1), SSM_ERR_VALUE (lambda_max or kappa not finite and > 0), SSM_UNSTABLE. */
int32_t ssm_timescale_rule(int64_t L, double lambda_max, double kappa, double *dt);

/** Memory at initialization: weight[j] = |e^(dt·a_j)|^(L−1) = e^(dt·a_j·(L−1)), the weight of the first
 *  of L inputs relative to the last in a mode with real part a_j (N doubles in, N out). Any sign of
 *  a_j is accepted. Errors: the common ones, SSM_UNSTABLE (a weight overflows). */
int32_t ssm_memory_weight(int64_t N, const double *a, double dt, int64_t L, double *weight);

/** The continuous infinite-horizon Gram matrix G (N×N, symmetric) of the features
 *  φ_j(t) = e^(a_j t) cos(b_j t): G_jk = ½[s/(s² + (b_j − b_k)²) + s/(s² + (b_j + b_k)²)],
 *  s = −(a_j + a_k). Errors: SSM_ERR_NULL, SSM_ERR_SIZE, SSM_ERR_VALUE (NaN/Inf, or some Re w ≥ 0,
 *  where s ≤ 0 and the integral diverges), SSM_ERR_MEMORY. */
int32_t ssm_gram_continuous(int64_t N, const ssm_complex_t *w, double *G);

/** The discrete finite-window Gram matrix G = dt·ΦΦᵀ (N×N, symmetric) of the same features sampled at
 *  t_m = m·dt, m = 0…L−1 (Φ_jm = φ_j(t_m)): the scaling by dt makes G the Riemann sum of the integral
 *  over [0, L·dt], so it tends to ssm_gram_continuous as dt → 0 and L·dt → ∞. It is singular when
 *  dt·b_j ≡ ±dt·b_k (mod 2π) with a_j = a_k (aliasing). Any Re w is accepted.
 *  Errors: the common ones, SSM_UNSTABLE (a feature overflows). */
int32_t ssm_gram_discrete(int64_t N, const ssm_complex_t *w, double dt, int64_t L, double *G);

/** The condition number *kappa = max|λ|/min|λ| of a symmetric n×n matrix G (row-major) from the
 *  symmetric eigensolver: λ_max/λ_min for a positive definite Gram matrix, numpy.linalg.cond(G) for
 *  any symmetric G; +Inf when an eigenvalue is exactly 0. Values near 1/ε ≈ 4.5e15 and above mean
 *  singular to working precision. Errors: SSM_ERR_NULL, SSM_ERR_SIZE, SSM_ERR_VALUE (NaN/Inf, G not
 *  symmetric to 1e-12·max|G|), SSM_NOT_CONVERGED, SSM_ERR_MEMORY. */
int32_t ssm_condition_number(int64_t n, const double *G, double *kappa);

/** The relative least-squares error of a target memory kernel by the features φ_j on the window,
 *  *error = min_c ‖ρ* − Σ_j c_j φ_j‖² / ‖ρ*‖² with target[m] = ρ*(m·dt), m = 0…L−1 (L doubles).
 *  Solved by the SVD of Φᵀ (LAPACK dgesdd) with the residual formed as a projection onto the left
 *  singular vectors of the singular values above rcond·σ_max, accurate even for nearly dependent
 *  features; rcond < 0 means numpy.linalg.lstsq's default max(L, N)·ε. Errors: the common ones,
 *  SSM_ERR_VALUE (a target that is all zero, rcond NaN/Inf), SSM_UNSTABLE (a feature overflows),
 *  SSM_NOT_CONVERGED (the SVD failed). */
int32_t ssm_approximation_error(int64_t N, const ssm_complex_t *w, double dt, int64_t L, const double *target,
                                double rcond, double *error);

/* ============================================================================================ */
/* Dynamical systems                                                                            */
/* ============================================================================================ */

/* ODE integrators and the named test systems of MATH.md §9 (the HiPPO-Prophecy signals; issue 6).
 * A trajectory is `steps` rows of d values (steps×d, row-major): the samples at t0 + k·dt,
 * k = 0 … steps − 1, row 0 the initial state. */

/** Integration methods.
 *  RK4    classical fixed-step Runge–Kutta 4. ssm_system_simulate takes 8 equal substeps per sample
 *         (h = dt/8); ssm_integrate takes 1 (h = dt). rtol and atol are ignored.
 *  DOPRI  adaptive Dormand–Prince 5(4), first-same-as-last, error control with rtol and atol
 *         (err = RMS of e_i/(atol + rtol·max(|x_i|, |x_new,i|)) ≤ 1), step-size controller with
 *         safety 0.9 and factors in [0.2, 10] (no growth right after a rejection), Hairer's starting
 *         step. Steps are shortened to land exactly on every sample time (no dense-output
 *         interpolation). Good defaults: rtol 1e-10, atol 1e-12. */
typedef enum {
    SSM_ODE_RK4 = 0,
    SSM_ODE_DOPRI = 1
} ssm_ode_method_t;

/** The named systems and their parameter vectors `params` (defaults in brackets) and initial states.
 *  VAN_DER_POL_1D  the authors' 1-D "Van der Pol" ẋ = μ(1 − x²) sin t; [μ] = [7]; x0 = [0.5]; d = 1.
 *  BERNOULLI       y′ = −cos(5t)·y + sin(t)·√y (t is the paper's x); no parameters; y0 = [0.1]; d = 1.
 *                  √y is evaluated as √max(y, 0) so steps that overshoot below 0 stay defined.
 *  FILTERED_NOISE  white noise through an alpha filter, a seeded discrete recipe with a = e^(−dt/τ):
 *                  s1 ← a·s1 + (1 − a)·σ·ξ_k, s2 ← a·s2 + (1 − a)·s1, u_k = s2, ξ_k ~ N(0, 1), one
 *                  draw per step k = 1 … steps − 1; both stages start at x0; [τ, σ] = [0.1, 1];
 *                  x0 = [0]; d = 1. The method, rtol and atol are ignored. Authors: dt = 1e-3.
 *  SINE_CUBED      u(t) = sin³t + |sin t|³; no parameters; x0 ignored (may be NULL); d = 1.
 *  LINEAR          u(t) = a + b·t; [a, b] = [0, 1]; x0 ignored; d = 1.
 *  VAN_DER_POL     ẍ = μ(1 − x²)ẋ − x as the state (x, ẋ); [μ] = [1]; x0 = [2, 0]; d = 2.
 *  LORENZ          Lorenz-63 ẋ = σ(y − x), ẏ = x(ρ − z) − y, ż = xy − βz; [σ, ρ, β] = [10, 28, 8/3];
 *                  x0 = [1, 1, 1]; d = 3.
 *  LOTKA_VOLTERRA  ẋ = αx − βxy, ẏ = δxy − γy; [α, β, γ, δ] = [1.5, 1, 3, 1]; x0 = [10, 5]; d = 2.
 *  PENDULUM        damped pendulum θ̈ = −ω²·sin θ − c·θ̇ as (θ, θ̇); [ω², c] = [1, 0.1]; x0 = [1, 0]; d = 2.
 *  LINEAR_ODE      ẋ = A x; params = A (d×d row-major, nparams = d²); no defaults: params and x0 required.
 *  SUM_OF_SINES    u(t) = Σ_i a_i sin(ω_i t + φ_i); params = triples [a_1, ω_1, φ_1, a_2, …]
 *                  (nparams a multiple of 3); default [1, 1, 0]; x0 ignored; d = 1. */
typedef enum {
    SSM_SYSTEM_VAN_DER_POL_1D = 0,
    SSM_SYSTEM_BERNOULLI = 1,
    SSM_SYSTEM_FILTERED_NOISE = 2,
    SSM_SYSTEM_SINE_CUBED = 3,
    SSM_SYSTEM_LINEAR = 4,
    SSM_SYSTEM_VAN_DER_POL = 5,
    SSM_SYSTEM_LORENZ = 6,
    SSM_SYSTEM_LOTKA_VOLTERRA = 7,
    SSM_SYSTEM_PENDULUM = 8,
    SSM_SYSTEM_LINEAR_ODE = 9,
    SSM_SYSTEM_SUM_OF_SINES = 10
} ssm_system_t;

/** Parses a system name ("van_der_pol_1d", "bernoulli", "filtered_noise", "sine_cubed", "linear",
 *  "van_der_pol", "lorenz", "lotka_volterra", "pendulum", "linear_ode", "sum_of_sines"; exact, lower
 *  case) into *system. Errors: SSM_ERR_NULL, SSM_ERR_VALUE (unknown name; the message lists them). */
int32_t ssm_system_from_name(const char *name, int32_t *system);

/** The state dimension d of `system` with a parameter vector of `nparams` values (nparams matters only
 *  for LINEAR_ODE, d = √nparams) into *d. Errors: SSM_ERR_NULL, SSM_ERR_VALUE (unknown system),
 *  SSM_ERR_SIZE (LINEAR_ODE with nparams not a square ≥ 1). */
int32_t ssm_system_dimension(int32_t system, int64_t nparams, int64_t *d);

/** The defaults of `system`: the number of default parameters into *nparams, the parameters into
 *  `params` (*nparams values; may be NULL) and the default initial state into `x0` (d values of the
 *  default dimension; may be NULL). LINEAR_ODE has none (*nparams = 0, x0 untouched).
 *  Errors: SSM_ERR_NULL (nparams), SSM_ERR_VALUE (unknown system). */
int32_t ssm_system_defaults(int32_t system, int64_t *nparams, double *params, double *x0);

/** A trajectory of `system` into `out` (steps×d, d from ssm_system_dimension): `params` (nparams
 *  values; NULL: the defaults, nparams ignored), `x0` (d values; NULL: the default state; ignored by
 *  explicit systems), sample spacing dt > 0, `method` an ssm_ode_method_t with rtol > 0, atol ≥ 0
 *  (DOPRI), `seed` (FILTERED_NOISE only). ODEs integrate between samples with the method; explicit
 *  systems are evaluated at t0 + k·dt.
 *  Errors: SSM_ERR_NULL (out; x0 of LINEAR_ODE), SSM_ERR_SIZE (steps < 1, wrong nparams, overflow),
 *  SSM_ERR_VALUE (unknown system or method, NaN/Inf in params, x0, t0 or dt, dt ≤ 0, bad tolerances,
 *  τ ≤ 0 or σ < 0), SSM_UNSTABLE (the state became non-finite), SSM_NOT_CONVERGED (DOPRI step size
 *  underflow or more than 10⁶ steps between two samples), SSM_ERR_MEMORY. */
int32_t ssm_system_simulate(int32_t system, const double *params, int64_t nparams, const double *x0, double t0,
                            double dt, int64_t steps, int32_t method, double rtol, double atol, uint64_t seed,
                            double *out);

/** A right-hand side for ssm_integrate: writes f(t, x) into dx (both d values) and returns 0, or
 *  returns non-zero to abort the integration. */
typedef int32_t (*ssm_rhs_fn)(double t, const double *x, double *dx, void *user);

/** Integrates ẋ = f(t, x) (d ≥ 1) from x0 at t0 into `out` (steps×d, samples at t0 + k·dt) by
 *  `method` (RK4: one step per sample; DOPRI: rtol, atol as for ssm_system_simulate). `user` is passed
 *  to every call of f, which runs on the calling thread. A non-zero return from f stops the
 *  integration with SSM_ERR_VALUE and a message naming t and the code.
 *  Errors: SSM_ERR_NULL (f, x0, out), SSM_ERR_SIZE (d, steps < 1, overflow), SSM_ERR_VALUE (NaN/Inf
 *  x0, t0 or dt, dt ≤ 0, unknown method, bad tolerances, f aborted), SSM_UNSTABLE (f or the state
 *  became non-finite), SSM_NOT_CONVERGED (DOPRI step size underflow or step budget), SSM_ERR_MEMORY. */
int32_t ssm_integrate(int64_t d, ssm_rhs_fn f, void *user, const double *x0, double t0, double dt, int64_t steps,
                      int32_t method, double rtol, double atol, double *out);

/* ============================================================================================ */
/* HiPPO-Prophecy                                                                               */
/* ============================================================================================ */

/* Next-value prediction in context without training (MATH.md §9): a HiPPO memory of the recent
 * signal, a fixed readout that estimates u'(t) from it, and an output rule; the whole is a
 * fixed-weight discrete SSM whose output at sample k is the prediction of sample k+1. Signals of d
 * coordinates use one copy of the SSM per coordinate (the same weights). Samples u_k = u(k·dt);
 * the state starts at zero with the history before the first sample taken as zero.
 * A predictor is an opaque handle: ssm_predictor_create(..., &p), ssm_predictor_free(p) (NULL
 * allowed). A handle is used by one thread at a time (ssm_predictor_step changes it). */

typedef struct ssm_predictor ssm_predictor_t;

/** The memory. LEGT and FOUT (N odd) have a window theta (MATH.md §1, paper convention); LEGS is
 *  the time-varying scale-invariant memory of the whole past (no window; sample k sits at
 *  t = (k+1)·dt; its predictions are invalid for the first ~N² samples). */
typedef enum {
    SSM_PROPHECY_LEGT = 0,
    SSM_PROPHECY_FOUT = 1,
    SSM_PROPHECY_LEGS = 2
} ssm_prophecy_basis_t;

/** LEGT's readout u'(t) ≈ C x + D u (e_n = √(2n+1)). TIME (the authors'): C = eᵀA, D = eᵀB = N²/θ.
 *  SPACE: C_n = √(2n+1)·n(n+1)/θ, D = 0 (derivative of the least-squares fit at "now"). FOUT always
 *  uses C_2m = −2√2·π·m/θ on the sine entries, D = 0; LEGS C_k = eᵀA/k, D_k = N²/k (t = k·dt):
 *  the readout field applies to LEGT only. */
typedef enum {
    SSM_READOUT_TIME = 0,
    SSM_READOUT_SPACE = 1
} ssm_readout_t;

/** What drives the state: AVERAGE x_k = Ā x_(k−1) + B̄ (u_k + u_(k−1))/2, or PLAIN
 *  x_k = Ā x_(k−1) + B̄ u_k (the state then sits half a step ahead). */
typedef enum {
    SSM_STATE_INPUT_AVERAGE = 0,
    SSM_STATE_INPUT_PLAIN = 1
} ssm_state_input_t;

/** The output rule. EULER: û_(k+1) = u_k + dt·(C x_k + D u_k). TRAPEZOID (the authors'):
 *  û_(k+1) = [(1 + dt·D/2) u_k + dt·C x_k]/(1 − dt·D/2), accepted only while 1 − dt·D/2 > 0 (LEGT
 *  time readout: N² < 2θ/dt); not available for LEGS. */
typedef enum {
    SSM_RULE_EULER = 0,
    SSM_RULE_TRAPEZOID = 1
} ssm_output_rule_t;

/** Options of ssm_predictor_create (fill with ssm_predictor_options_default or
 *  ssm_predictor_options_authors first). The window of LEGT and FOUT is theta (time units) when
 *  theta != 0, otherwise W samples (theta = W·dt). LEGS ignores both. */
typedef struct {
    int64_t size;         /**< sizeof(ssm_predictor_options_t); set by the _options functions */
    int32_t basis;        /**< an ssm_prophecy_basis_t (default LEGT) */
    int64_t N;            /**< state size (FOUT: odd) (default 8) */
    double theta;         /**< window in time units, or 0 to use W (default 0) */
    int64_t W;            /**< window in samples, used when theta = 0 (default 20) */
    double dt;            /**< sample spacing Δ > 0 (default 1) */
    int32_t readout;      /**< an ssm_readout_t (default TIME) */
    int32_t state_input;  /**< an ssm_state_input_t (default AVERAGE) */
    int32_t output;       /**< an ssm_output_rule_t (default EULER) */
    int32_t method;       /**< SSM_METHOD_BILINEAR (default) or SSM_METHOD_ZOH for (A, B) */
} ssm_predictor_options_t;

/** Fills `options` with the defaults above. Errors: SSM_ERR_NULL. */
int32_t ssm_predictor_options_default(ssm_predictor_options_t *options);

/** Fills `options` with the authors' exact configuration for a context of T samples: LEGT with
 *  theta = T·dt (the whole context), TIME readout, TRAPEZOID output, PLAIN input, BILINEAR. It is
 *  not checked here: ssm_predictor_create rejects it when N² ≥ 2T (e.g. the authors' N = 128,
 *  T = 1000). Errors: SSM_ERR_NULL. */
int32_t ssm_predictor_options_authors(int64_t N, int64_t T, double dt, ssm_predictor_options_t *options);

/** Creates a predictor; its streaming state (ssm_predictor_step) has d coordinates (d ≥ 1).
 *  options NULL means the defaults. Errors: SSM_ERR_NULL, SSM_ERR_SIZE (N < 1 or > 4096, even N for
 *  FOUT, d < 1), SSM_ERR_VALUE (unknown enum values, dt or the window not finite and > 0, the
 *  trapezoid guard: the message names the largest allowed N),
 *  SSM_ERR_UNSUPPORTED (TRAPEZOID with LEGS), SSM_ERR_MEMORY, SSM_SINGULAR. */
int32_t ssm_predictor_create(const ssm_predictor_options_t *options, int64_t d, ssm_predictor_t **predictor);

/** Frees a predictor (NULL is allowed). */
void ssm_predictor_free(ssm_predictor_t *predictor);

/** One-step predictions over trajectories u (batch×T×d, row-major; any d, independent of the
 *  streaming state, which is not touched): pred[b, k, j] = û_(k+1) from u[b, 0…k, j]; compare
 *  pred[:, :T−1] with u[:, 1:]. pred has the shape of u. LEGT and FOUT predictors run in chunks of
 *  32…256 samples as BLAS products (one sequential state update per chunk, not per sample) once T
 *  spans two chunks (and building the chunk matrices, ~N³, costs less than the recurrence); LEGS
 *  runs sample by sample. A trajectory's predictions do not depend on the other trajectories of the
 *  batch or on the thread count. Errors: SSM_ERR_NULL, SSM_ERR_SIZE,
 *  SSM_ERR_VALUE (non-finite u), SSM_ERR_MEMORY, SSM_UNSTABLE (non-finite predictions). */
int32_t ssm_predictor_predict(const ssm_predictor_t *predictor, int64_t batch, int64_t T, int64_t d,
                              const double *u, double *pred);

/** Streaming: consumes the next sample x (d values) and writes the prediction of the sample after it
 *  to next (d values). Feeding a trajectory sample by sample runs the recurrence: it gives the
 *  predictions of ssm_predictor_predict bit for bit for LEGS and for trajectories shorter than two
 *  chunks, and otherwise up to rounding (the chunked sums run in another order; the gap grows with
 *  the predictor's conditioning: ~1e-14·max|u| at N = 16, W = 20; ~1e-12 at N = 64, W = 20;
 *  docs/prophecy.md). On error the state is unchanged. Errors: SSM_ERR_NULL,
 *  SSM_ERR_VALUE (non-finite x), SSM_UNSTABLE. */
int32_t ssm_predictor_step(ssm_predictor_t *predictor, const double *x, double *next);

/** Clears the streaming state (zero state, no history). Errors: SSM_ERR_NULL. */
int32_t ssm_predictor_reset(ssm_predictor_t *predictor);

/** The state size n of the exported SSM: N (PLAIN input) or N + 1 (AVERAGE). Errors: SSM_ERR_NULL,
 *  SSM_ERR_UNSUPPORTED (LEGS is time-varying). */
int32_t ssm_predictor_state_size(const ssm_predictor_t *predictor, int64_t *n);

/** The predictor of one coordinate as a discrete SSM for ssm_scan_dense (x_k = Ad x_(k−1) + Bd u_k,
 *  y_k = Cd x_k + Dd u_k from x = 0), whose output y_k is û_(k+1): Ad n×n, Bd n×1, Cd 1×n, Dd 1×1
 *  (n from ssm_predictor_state_size). The output rule folds into (Cd, Dd): EULER Cd = dt·C,
 *  Dd = 1 + dt·D; TRAPEZOID Cd = dt·C/(1 − dt·D/2), Dd = (1 + dt·D/2)/(1 − dt·D/2). AVERAGE input
 *  appends the last sample to the state: Ad = [[Ā, B̄/2], [0, 0]], Bd = [B̄/2; 1], Cd = [Cd, 0].
 *  Errors: SSM_ERR_NULL, SSM_ERR_UNSUPPORTED (LEGS). */
int32_t ssm_predictor_ssm(const ssm_predictor_t *predictor, double *Ad, double *Bd, double *Cd, double *Dd);

/** Closed-loop rollout: from a fresh zero state (the handle's streaming state is not touched),
 *  teacher-forces the predictor on context (T×d, row-major), then feeds each prediction back as the
 *  next sample for `steps` samples: out (steps×d) holds the continuation u_T, u_(T+1), … . Works for
 *  every basis. One-step prediction is the construction's claim; rollout typically diverges (see
 *  ssm_predictor_rollout_radius). Errors: SSM_ERR_NULL, SSM_ERR_SIZE (T, d < 1, steps < 0),
 *  SSM_ERR_VALUE (non-finite context), SSM_ERR_MEMORY, SSM_UNSTABLE (the rollout overflowed). */
int32_t ssm_predictor_rollout(const ssm_predictor_t *predictor, int64_t T, int64_t d, const double *context,
                              int64_t steps, double *out);

/** The spectral radius of closed-loop rollout (each prediction fed back as the next sample): the
 *  largest |eigenvalue| of M = [[Ad + Bd·Cd, Bd·Dd], [Cd, Dd]], the linear map of (state, sample);
 *  rollout diverges when it exceeds 1. Predictors that extrapolate low-degree polynomials exactly
 *  have an eigenvalue 1 of multiplicity m (a Jordan block); float64 eigenvalues split it by about
 *  ε^(1/m), so a radius within ~1e-5 of 1 means 1 (docs/prophecy.md). Errors: SSM_ERR_NULL,
 *  SSM_ERR_UNSUPPORTED (LEGS), SSM_NOT_CONVERGED. */
int32_t ssm_predictor_rollout_radius(const ssm_predictor_t *predictor, double *radius);

/** Baselines for one-step prediction (MATH.md §9), with the predictor's layout and convention. */
typedef enum {
    SSM_BASELINE_PERSISTENCE = 0, /**< û_(k+1) = u_k */
    SSM_BASELINE_POLYNOMIAL = 1,  /**< polynomial extrapolation of order p = parameter (0…20) */
    SSM_BASELINE_PARROT = 2       /**< context parroting with a window of m = parameter ≥ 1 samples */
} ssm_baseline_t;

/** One-step baseline predictions over trajectories u (batch×T×d, row-major): pred[b, k, :] = û_(k+1)
 *  from u[b, 0…k, :] only; compare pred[:, :T−1] with u[:, 1:]. pred has the shape of u (it may be
 *  u itself). No history before the first sample is invented (unlike the predictor's zero history):
 *  - PERSISTENCE: û_(k+1) = u_k; parameter is ignored.
 *  - POLYNOMIAL (per coordinate): the value at k+1 of the degree-q polynomial through the last q+1
 *    samples, q = min(p, k): û_(k+1) = Σ_(j=0…q) (−1)^j C(q+1, j+1) u_(k−j) (p = 1: 2u_k − u_(k−1);
 *    p = 0: persistence). The first p predictions use the highest order available. Exact on
 *    polynomials of degree ≤ q; round-off is amplified by up to 2^(p+1) − 1.
 *  - PARROT (all d coordinates together): for k ≥ m, the earlier window u_(j−m+1…j), m−1 ≤ j < k,
 *    nearest to the current window u_(k−m+1…k) in squared Euclidean distance over its m·d values
 *    gives û_(k+1) = u_(j+1); ties go to the most recent j. For k < m (no earlier window):
 *    persistence. Cost O(T²·m·d) per trajectory (a window's distance stops once it cannot win):
 *    fine for T up to ~10⁴.
 *  Thread-safe. Errors: SSM_ERR_NULL, SSM_ERR_SIZE (batch, T, d < 1, or their product overflows),
 *  SSM_ERR_VALUE (unknown method, order outside 0…20, window < 1, non-finite u), SSM_ERR_MEMORY,
 *  SSM_UNSTABLE (a non-finite polynomial extrapolation). */
int32_t ssm_baseline_predict(int32_t method, int64_t parameter, int64_t batch, int64_t T, int64_t d, const double *u,
                             double *pred);

/* ============================================================================================ */
/* Fourier transforms                                                                           */
/* ============================================================================================ */

/* numpy.fft's conventions: forward X_k = Σ_j x_j e^(−2πi jk/n), inverse scaled by 1/n. Every
 * function transforms `count` contiguous rows (row r starts at element r·row_length). Any n ≥ 1:
 * mixed-radix Stockham (radices 2, 3, 4, 5, 7, 8) when n has no prime factor above 7, Bluestein's
 * chirp-z through such a length otherwise. Plans
 * are built on first use of a length, cached, and shared: all four functions are thread-safe.
 * Non-finite input is rejected (SSM_ERR_VALUE), unlike numpy, which propagates it.
 * Errors: SSM_ERR_NULL, SSM_ERR_SIZE (n or count < 1, count·n overflows), SSM_ERR_VALUE,
 * SSM_ERR_MEMORY (plan and work space above the allocation limit). */

/** Forward DFT of count rows of n complex values (numpy.fft.fft). `x` and `out` may be the same
 *  array. */
int32_t ssm_fft(int64_t count, int64_t n, const ssm_complex_t *x, ssm_complex_t *out);

/** Inverse DFT, out_j = (1/n) Σ_k x_k e^(+2πi jk/n) (numpy.fft.ifft); as ssm_fft. */
int32_t ssm_ifft(int64_t count, int64_t n, const ssm_complex_t *x, ssm_complex_t *out);

/** DFT of count rows of n reals: rows of n/2 + 1 complex values in `out` (numpy.fft.rfft). */
int32_t ssm_rfft(int64_t count, int64_t n, const double *x, ssm_complex_t *out);

/** Inverse of ssm_rfft: count rows of n/2 + 1 complex values in `x` give rows of n reals in `out`
 *  (numpy.fft.irfft with this n). The imaginary parts of x_0 and, for even n, of x_(n/2) are
 *  ignored, as numpy does. */
int32_t ssm_irfft(int64_t count, int64_t n, const ssm_complex_t *x, double *out);

#ifdef __cplusplus
}
#endif

#endif /* SSMKIT_H */
