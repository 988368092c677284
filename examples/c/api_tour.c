/* api_tour.c — calls every function of ssmkit.h once with good input and checks the answers
 * against closed forms. Exit status 0 when everything holds. Runs under CTest.
 *
 * Build by hand:  cc api_tour.c -I../../include -L../../.build/release -lssmkit -lm \
 *                    -Wl,-rpath,../../.build/release
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ssmkit.h"

static int failures = 0;

#define CHECK(cond, ...)                                                                       \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                               \
            fprintf(stderr, __VA_ARGS__);                                                      \
            fprintf(stderr, " (last error: %s)\n", ssm_last_error());                          \
            failures++;                                                                        \
        }                                                                                      \
    } while (0)

#define CHECK_OK(call) CHECK((call) == SSM_OK, "%s did not return SSM_OK", #call)

/* A progress callback that counts steps and cancels after `*user` of them. */
static int32_t count_steps(const ssm_progress_t *progress, void *user) {
    int *budget = (int *)user;
    return progress->step >= *budget ? 1 : 0;
}

/* ẋ = −x for ssm_integrate; aborts (returns 1) if *user is set and t passes it. */
static int32_t decay_rhs(double t, const double *x, double *dx, void *user) {
    const double *stop = (const double *)user;
    if (stop != NULL && t > *stop) return 1;
    dx[0] = -x[0];
    return 0;
}

static int close_to(double a, double b, double rtol) {
    return fabs(a - b) <= rtol * fmax(1.0, fmax(fabs(a), fabs(b)));
}

int main(void) {
    /* Versions. */
    CHECK(ssm_version_number() == SSM_VERSION_NUMBER, "library %d vs header %d",
          (int)ssm_version_number(), SSM_VERSION_NUMBER);
    char expected[32];
    snprintf(expected, sizeof expected, "%d.%d.%d", SSM_VERSION_MAJOR, SSM_VERSION_MINOR,
             SSM_VERSION_PATCH);
    CHECK(strcmp(ssm_version_string(), expected) == 0, "version string %s", ssm_version_string());
    printf("SSMKit %s\n", ssm_version_string());

    /* Status strings and the last error. */
    CHECK(strncmp(ssm_status_string(SSM_OK), "SSM_OK", 6) == 0, "status string of SSM_OK");
    CHECK(strncmp(ssm_status_string(SSM_SINGULAR), "SSM_SINGULAR", 12) == 0, "SSM_SINGULAR");
    CHECK(strcmp(ssm_status_string(12345), "unknown status") == 0, "unknown status");
    CHECK(ssm_last_error() != NULL, "last error is never NULL");

    /* Allocation limit. */
    int64_t limit = ssm_allocation_limit();
    CHECK(limit == ((int64_t)4 << 30), "default limit %lld", (long long)limit);
    CHECK_OK(ssm_set_allocation_limit(limit / 2));
    CHECK(ssm_allocation_limit() == limit / 2, "limit was not set");
    CHECK_OK(ssm_set_allocation_limit(limit));

    /* expm of a rotation generator: exp([[0, -t], [t, 0]]) = [[cos t, -sin t], [sin t, cos t]]. */
    const double t = 0.7;
    double M[4] = {0, -t, t, 0}, E[4];
    CHECK_OK(ssm_expm(2, M, E));
    CHECK(close_to(E[0], cos(t), 1e-14) && close_to(E[1], -sin(t), 1e-14) &&
              close_to(E[2], sin(t), 1e-14) && close_to(E[3], cos(t), 1e-14),
          "expm rotation");
    /* Complex: exp(diag(iπ, 1)) = diag(-1, e). */
    ssm_complex_t Z[4] = {{0, 3.14159265358979323846}, {0, 0}, {0, 0}, {1, 0}}, EZ[4];
    CHECK_OK(ssm_expm_complex(2, Z, EZ));
    CHECK(close_to(EZ[0].re, -1, 1e-14) && fabs(EZ[0].im) < 1e-15 && close_to(EZ[3].re, exp(1), 1e-14),
          "expm complex");

    /* HiPPO LegS, N = 3: A = [[-1,0,0],[-√3,-2,0],[-√5,-√15,-3]], B = [1, √3, √5]. */
    ssm_hippo_options_t hopt;
    CHECK_OK(ssm_hippo_options_default(&hopt));
    CHECK(hopt.size == (int64_t)sizeof hopt && hopt.theta == 1.0, "hippo defaults");
    int32_t measure = -1;
    CHECK_OK(ssm_measure_from_name("LegS", &measure));
    CHECK(measure == SSM_MEASURE_LEGS, "measure_from_name");
    double A[9], B[3];
    CHECK_OK(ssm_hippo(measure, 3, &hopt, A, B));
    const double A_legs[9] = {-1, 0, 0, -sqrt(3), -2, 0, -sqrt(5), -sqrt(15), -3};
    const double B_legs[3] = {1, sqrt(3), sqrt(5)};
    for (int i = 0; i < 9; i++) CHECK(close_to(A[i], A_legs[i], 1e-15), "LegS A[%d] = %g", i, A[i]);
    for (int i = 0; i < 3; i++) CHECK(close_to(B[i], B_legs[i], 1e-15), "LegS B[%d] = %g", i, B[i]);

    /* Rank correction: A + p pᵀ = -½ I + skew for LegS. */
    int64_t rank = 0;
    CHECK_OK(ssm_hippo_rank(SSM_MEASURE_LEGS, &rank));
    CHECK(rank == 1, "LegS rank %lld", (long long)rank);
    double P[3];
    CHECK_OK(ssm_hippo_rank_correction(SSM_MEASURE_LEGS, 3, NULL, P));
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            double s = A[i * 3 + j] + P[i] * P[j], st = A[j * 3 + i] + P[j] * P[i];
            CHECK(close_to(s + st, i == j ? -1.0 : 0.0, 1e-14), "normal part (%d,%d)", i, j);
        }

    /* ZOH of ẋ = -x + u, y = 2x + 3u: Ad = e^{-dt}, Bd = 1 - e^{-dt}; scipy keeps C and D. */
    ssm_discretize_options_t dopt;
    CHECK_OK(ssm_discretize_options_default(&dopt));
    CHECK(dopt.method == SSM_METHOD_ZOH && dopt.convention == SSM_OUTPUT_SCIPY, "discretize defaults");
    int32_t method = -1;
    CHECK_OK(ssm_method_from_name("zoh", &method));
    CHECK(method == SSM_METHOD_ZOH, "method_from_name");
    const double a = -1, b = 1, c = 2, d = 3, dt = 0.1;
    double ad, bd, cd, dd;
    CHECK_OK(ssm_discretize(1, 1, 1, &a, &b, &c, &d, dt, &dopt, &ad, &bd, &cd, &dd));
    CHECK(close_to(ad, exp(-dt), 1e-15) && close_to(bd, -expm1(-dt), 1e-14) && cd == 2 && dd == 3,
          "zoh scalar: %g %g %g %g", ad, bd, cd, dd);
    /* Bilinear, scipy convention: Ad = (1 - dt/2)/(1 + dt/2), Bd = dt/(1 + dt/2),
     * Cd = c/(1 + dt/2), Dd = d + c·Bd/2. */
    CHECK_OK(ssm_method_from_name("tustin", &method));
    dopt.method = method;
    CHECK_OK(ssm_discretize(1, 1, 1, &a, &b, &c, &d, dt, &dopt, &ad, &bd, &cd, &dd));
    const double q = 1 + dt / 2;
    CHECK(close_to(ad, (1 - dt / 2) / q, 1e-15) && close_to(bd, dt / q, 1e-15) &&
              close_to(cd, c / q, 1e-15) && close_to(dd, d + 0.5 * c * dt / q, 1e-15),
          "bilinear scalar");

    /* Diagonal ZOH with per-channel steps: Ā = e^{Δλ}, B̄ = (e^{Δλ} - 1)/λ · b. */
    ssm_complex_t lam[2] = {{-0.5, 3.0}, {0.0, 0.0}}, lb[2], bb[2];
    double steps[2] = {0.1, 0.2};
    CHECK_OK(ssm_discretize_diag(SSM_METHOD_ZOH, 2, 1, lam, NULL, steps, 2, 0.0, lb, bb));
    double mag = exp(-0.05);
    CHECK(close_to(lb[0].re, mag * cos(0.3), 1e-15) && close_to(lb[0].im, mag * sin(0.3), 1e-15),
          "diag zoh Ā");
    CHECK(lb[1].re == 1 && lb[1].im == 0 && bb[1].re == 0.2 && bb[1].im == 0, "diag zoh at λ = 0");

    /* DPLR of LegS, N = 4: Λ = −½ + iω (2 modes, ω > 0 ascending), V orthonormal columns. */
    ssm_complex_t lam4[2], p4[2], b4[2], v4[8];
    double derr = -1;
    CHECK_OK(ssm_dplr(SSM_MEASURE_LEGS, 4, NULL, 1, lam4, p4, b4, v4, &derr));
    CHECK(close_to(lam4[0].re, -0.5, 1e-14) && lam4[0].im > 0 && lam4[1].im > lam4[0].im && derr < 1e-14,
          "dplr legs: %g%+gi, %g%+gi, error %g", lam4[0].re, lam4[0].im, lam4[1].re, lam4[1].im, derr);
    double norm0 = 0;
    for (int j = 0; j < 4; j++) norm0 += v4[2 * j].re * v4[2 * j].re + v4[2 * j].im * v4[2 * j].im;
    CHECK(close_to(norm0, 1, 1e-14), "dplr V column norm %g", norm0);
    CHECK_OK(ssm_dplr(SSM_MEASURE_LAGT, 4, NULL, 1, lam4, p4, b4, NULL, NULL));   /* V, error optional */

    /* Diagonal initialization: S4D-Lin, N = 8, two channels, zero real parts, random B. */
    ssm_diag_options_t dg;
    CHECK_OK(ssm_diag_options_default(&dg));
    CHECK(dg.size == (int64_t)sizeof dg && dg.scheme == SSM_DIAG_LIN && dg.N == 64 && dg.H == 1, "diag defaults");
    int32_t scheme = -1;
    CHECK_OK(ssm_diag_scheme_from_name("S4D-Lin", &scheme));
    CHECK(scheme == SSM_DIAG_LIN, "diag_scheme_from_name");
    dg.N = 8; dg.H = 2; dg.override_real = 1; dg.real_part = 0; dg.b_init = SSM_B_RANDOM; dg.seed = 42;
    int64_t modes = 0;
    CHECK_OK(ssm_diag_modes(&dg, &modes));
    CHECK(modes == 4, "diag modes %lld", (long long)modes);
    ssm_complex_t dlam[8], dB[8], dC[8];
    double dgam[8];
    CHECK_OK(ssm_diag_init(&dg, dlam, dB, dC, dgam));
    for (int k = 0; k < 8; k++)
        CHECK(dlam[k].re == 0 && close_to(dlam[k].im, 3.14159265358979323846 * (k % 4), 1e-15) && dgam[k] == 1,
              "diag lambda[%d]", k);
    CHECK_OK(ssm_diag_init(&dg, dlam, NULL, NULL, NULL));   /* B, C, gamma optional */

    /* Timescales: log-uniform draws in [dt_min, dt_max]; softplus parameter round trip. */
    double dts[4], par[4], back4[4];
    CHECK_OK(ssm_timescales(4, 1e-3, 1e-1, 7, dts));
    for (int k = 0; k < 4; k++) CHECK(dts[k] >= 1e-3 && dts[k] <= 1e-1, "timescale %g", dts[k]);
    CHECK_OK(ssm_dt_transform(SSM_DT_SOFTPLUS, 1, 4, dts, 1e-4, par));
    CHECK_OK(ssm_dt_transform(SSM_DT_SOFTPLUS, 0, 4, par, 0, back4));
    for (int k = 0; k < 4; k++) CHECK(close_to(back4[k], dts[k], 1e-14), "softplus round trip %d", k);

    /* Threads and the diagonal kernel: one mode z = −0.1 + 0.5i, w = 1 gives K_l = 2·e^(−0.1 l)·cos(0.5 l). */
    CHECK(ssm_threads() >= 1, "threads");
    CHECK_OK(ssm_set_threads(1));
    CHECK(ssm_threads() == 1, "set_threads");
    CHECK_OK(ssm_set_threads(0));
    ssm_complex_t kz = {-0.1, 0.5}, kw = {1, 0};
    double Kd[300];
    CHECK_OK(ssm_kernel_diag(1, 1, 300, &kz, &kw, 1, Kd));
    for (int l = 0; l < 300; l += 37)
        CHECK(fabs(Kd[l] - 2 * exp(-0.1 * l) * cos(0.5 * l)) <= 1e-14, "kernel_diag[%d] = %g", l, Kd[l]);

    /* DPLR kernel of one mode with a rank-one part: A = λ − p·q* = −1 − 0.25 = −1.25, bilinear with
     * Δ = 0.1: Ā = (1 + 0.05A)/(1 − 0.05A), B̄ = 0.1/(1 − 0.05A), K_l = Ā^l B̄ (B = C = 1, pairs = 0). */
    ssm_complex_t dl = {-1, 0}, dp = {0.5, 0}, db = {1, 0};
    double ddt = 0.1, Kp[50];
    CHECK_OK(ssm_kernel_dplr(1, 1, 1, 50, &dl, &dp, NULL, &db, &db, &ddt, 0, Kp));
    {
        double a = -1.25, abar = (1 + 0.05 * a) / (1 - 0.05 * a), bbar = 0.1 / (1 - 0.05 * a);
        for (int l = 0; l < 50; l += 7)
            CHECK(fabs(Kp[l] - pow(abar, l) * bbar) <= 1e-15, "kernel_dplr[%d] = %g", l, Kp[l]);
    }

    /* Scan: one real mode λ̄ = ½, B̄ = 1, C = 1 (f = 1), D = 0: y_k = Σ_j (½)^(k−j) u_j; the final
     * state continues a split run. */
    ssm_complex_t sl = {0.5, 0}, sb = {1, 0}, sc = {1, 0}, sx, sx2;
    double su[4] = {1, 0, 0, 2}, sy[4], sy2[2];
    CHECK_OK(ssm_scan_diag(1, 1, 1, 4, &sl, &sb, &sc, NULL, 0, su, NULL, sy, &sx));
    CHECK(sy[0] == 1 && sy[1] == 0.5 && sy[2] == 0.25 && sy[3] == 2.125 && sx.re == 2.125, "scan values");
    CHECK_OK(ssm_scan_diag(1, 1, 1, 2, &sl, &sb, &sc, NULL, 0, su, NULL, sy2, &sx2));
    CHECK_OK(ssm_scan_diag(1, 1, 1, 2, &sl, &sb, &sc, NULL, 0, su + 2, &sx2, sy2, NULL));
    CHECK(sy2[0] == sy[2] && sy2[1] == sy[3], "scan continued from the final state");

    /* Dense kernel of the same one-state system: K_l = (½)^l. */
    double ka = 0.5, kb = 1, kc = 1, kd[4];
    CHECK_OK(ssm_kernel_dense(1, 1, 1, 4, &ka, &kb, &kc, kd));
    CHECK(kd[0] == 1 && kd[1] == 0.5 && kd[2] == 0.25 && kd[3] == 0.125, "kernel_dense");

    /* Dense scan of the same one-state system equals the diagonal scan. */
    double dsy[4];
    CHECK_OK(ssm_scan_dense(1, 1, 1, 1, 4, &ka, &kb, &kc, NULL, su, NULL, dsy, NULL));
    for (int k = 0; k < 4; k++) CHECK(dsy[k] == sy[k], "scan_dense[%d]", k);

    /* Per-step scan with Mamba's rule and Δ = ln 2 at every step: Ā = e^(−ln 2) = ½, B̄ = Δ. */
    ssm_complex_t cl = {-1, 0}, cb = {1, 0}, cc = {1, 0};
    double steps4[4], dy[4];
    for (int k = 0; k < 4; k++) steps4[k] = log(2.0);
    CHECK_OK(ssm_scan_diag_dt(1, 1, 1, 4, SSM_METHOD_ZOH_A_EULER_B, 0.5, &cl, &cb, &cc, NULL, 0, steps4, su, NULL, dy, NULL));
    for (int k = 0; k < 4; k++) CHECK(fabs(dy[k] - log(2.0) * sy[k]) <= 1e-15, "scan_diag_dt[%d] = %g", k, dy[k]);

    /* Convolution equals the scan: K_l = (½)^l for the one-mode system above, D = 0. */
    double ck[4] = {1, 0.5, 0.25, 0.125}, cy[4];
    CHECK_OK(ssm_convolve(1, 1, 4, ck, su, NULL, cy));
    for (int k = 0; k < 4; k++) CHECK(fabs(cy[k] - sy[k]) <= 1e-15, "convolve[%d] = %g", k, cy[k]);

    /* float32 twins: the same values rounded to float (these are exact in float). */
    float Kf[300], suf[4] = {1, 0, 0, 2}, syf[4], stepsf[4], dyf[4], ckf[4] = {1, 0.5f, 0.25f, 0.125f}, cyf[4];
    CHECK_OK(ssm_kernel_diag_f32(1, 1, 300, &kz, &kw, 1, Kf));
    for (int l = 0; l < 300; l += 37) CHECK(fabs(Kf[l] - Kd[l]) <= 1e-6 * 2, "kernel_diag_f32[%d] = %g", l, Kf[l]);
    CHECK_OK(ssm_scan_diag_f32(1, 1, 1, 4, &sl, &sb, &sc, NULL, 0, suf, NULL, syf, NULL));
    for (int k = 0; k < 4; k++) CHECK(syf[k] == (float)sy[k], "scan_diag_f32[%d] = %g", k, syf[k]);
    for (int k = 0; k < 4; k++) stepsf[k] = (float)log(2.0);
    CHECK_OK(ssm_scan_diag_dt_f32(1, 1, 1, 4, SSM_METHOD_ZOH_A_EULER_B, 0.5, &cl, &cb, &cc, NULL, 0, stepsf, suf, NULL, dyf, NULL));
    for (int k = 0; k < 4; k++) CHECK(fabs(dyf[k] - dy[k]) <= 1e-6 * fabs(dy[k]), "scan_diag_dt_f32[%d] = %g", k, dyf[k]);
    CHECK_OK(ssm_convolve_f32(1, 1, 4, ckf, suf, NULL, cyf));
    for (int k = 0; k < 4; k++) CHECK(fabs(cyf[k] - sy[k]) <= 1e-6, "convolve_f32[%d] = %g", k, cyf[k]);

    /* HiPPO-Prophecy: LegT N = 4 over W = 10 samples. A constant signal is predicted as itself once the
     * memory has settled (steady state x = −A⁻¹B u, so C x + D u = eᵀ(A x + B u) = 0); streaming
     * reproduces the batch predictions exactly; the exported SSM (averaged input: n = N + 1) runs
     * through ssm_scan_dense to the same numbers. */
    {
        ssm_predictor_options_t po;
        CHECK_OK(ssm_predictor_options_default(&po));
        CHECK(po.size == (int64_t)sizeof po && po.basis == SSM_PROPHECY_LEGT && po.W == 20 &&
              po.state_input == SSM_STATE_INPUT_AVERAGE && po.output == SSM_RULE_EULER &&
              po.method == SSM_METHOD_BILINEAR, "predictor defaults");
        po.N = 4;
        po.W = 10;
        po.dt = 0.1;
        ssm_predictor_t *pr = NULL;
        CHECK_OK(ssm_predictor_create(&po, 1, &pr));
        enum { PT = 400 };
        double pu[PT], pp[PT], ps[PT], py[PT];
        for (int k = 0; k < PT; k++) pu[k] = 1.0 + 0.5 * sin(0.05 * k) * (k < 200);
        CHECK_OK(ssm_predictor_predict(pr, 1, PT, 1, pu, pp));
        CHECK(fabs(pp[PT - 1] - 1.0) < 1e-9, "constant predicted as itself: %.17g", pp[PT - 1]);
        CHECK_OK(ssm_predictor_reset(pr));
        /* Streaming runs the recurrence, batch the chunked form (400 samples span 12 chunks of 32):
         * the same sums in another order, so equal up to rounding. */
        double gap = 0;
        for (int k = 0; k < PT; k++) {
            CHECK_OK(ssm_predictor_step(pr, &pu[k], &ps[k]));
            gap = fmax(gap, fabs(ps[k] - pp[k]));
        }
        CHECK(gap <= 1e-13, "streaming equals batch up to rounding: %g", gap);
        int64_t pn = 0;
        CHECK_OK(ssm_predictor_state_size(pr, &pn));
        CHECK(pn == 5, "exported state size %lld", (long long)pn);
        double pA[25], pB[5], pC[5], pD[1];
        CHECK_OK(ssm_predictor_ssm(pr, pA, pB, pC, pD));
        CHECK(pB[4] == 1 && pC[4] == 0, "averaged input appends the last sample");
        CHECK_OK(ssm_scan_dense(1, pn, 1, 1, PT, pA, pB, pC, pD, pu, NULL, py, NULL));
        double worst = 0;
        for (int k = 0; k < PT; k++) worst = fmax(worst, fabs(py[k] - pp[k]));
        CHECK(worst < 1e-12, "exported SSM through ssm_scan_dense: %g", worst);
        double rho = 0;
        CHECK_OK(ssm_predictor_rollout_radius(pr, &rho));
        CHECK(isfinite(rho) && rho > 0, "rollout radius %g", rho);
        /* Rollout: its first value is the one-step prediction after the context. */
        double roll[8];
        CHECK_OK(ssm_predictor_rollout(pr, 300, 1, pu, 8, roll));
        CHECK(fabs(roll[0] - pp[299]) <= 1e-13, "rollout starts with the one-step prediction: %g", roll[0] - pp[299]);
        ssm_predictor_free(pr);
        ssm_predictor_free(NULL);
        /* The authors' configuration (N = 128, T = 1000, θ = whole context) breaks the trapezoid guard. */
        CHECK_OK(ssm_predictor_options_authors(128, 1000, 0.01, &po));
        CHECK(po.output == SSM_RULE_TRAPEZOID && po.state_input == SSM_STATE_INPUT_PLAIN && po.W == 1000, "authors preset");
        pr = NULL;
        CHECK(ssm_predictor_create(&po, 1, &pr) == SSM_ERR_VALUE && pr == NULL &&
              strstr(ssm_last_error(), "largest allowed N for this dt and theta is 44") != NULL,
              "authors' N = 128 rejected: %s", ssm_last_error());
    }

    /* Baselines: on a quadratic, order-2 extrapolation is exact from the third sample on; on a
     * periodic signal (period 5) parroting with a window of 2 is exact once one period has passed. */
    {
        enum { BT = 20 };
        double bu[BT], bp[BT], bq[BT];
        for (int k = 0; k < BT; k++) bu[k] = 0.5 * k * k - 3.0 * k + 1.0;
        CHECK_OK(ssm_baseline_predict(SSM_BASELINE_POLYNOMIAL, 2, 1, BT, 1, bu, bp));
        double worst = 0;
        for (int k = 2; k < BT - 1; k++) worst = fmax(worst, fabs(bp[k] - bu[k + 1]));
        CHECK(worst < 1e-12, "polynomial extrapolation exact on a quadratic: %g", worst);
        CHECK_OK(ssm_baseline_predict(SSM_BASELINE_PERSISTENCE, 0, 1, BT, 1, bu, bq));
        CHECK(bq[7] == bu[7], "persistence");
        const double period[5] = {0.3, -1.0, 2.0, 0.7, -0.4};
        for (int k = 0; k < BT; k++) bu[k] = period[k % 5];
        CHECK_OK(ssm_baseline_predict(SSM_BASELINE_PARROT, 2, 1, BT, 1, bu, bp));
        int exact = 1;
        for (int k = 6; k < BT - 1; k++) exact &= bp[k] == bu[k + 1];
        CHECK(exact, "parroting exact on a periodic signal");
    }

    /* Fourier transforms: the DFT of a unit impulse at 1 is e^(−2πik/n); rfft/irfft round-trip. */
    enum { NF = 6 };
    ssm_complex_t xf[NF] = {{0, 0}, {1, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}}, Xf[NF], back[NF];
    CHECK_OK(ssm_fft(1, NF, xf, Xf));
    for (int k = 0; k < NF; k++) {
        double angle = -2 * 3.14159265358979323846 * k / NF;
        CHECK(fabs(Xf[k].re - cos(angle)) < 1e-15 && fabs(Xf[k].im - sin(angle)) < 1e-15, "fft[%d]", k);
    }
    CHECK_OK(ssm_ifft(1, NF, Xf, back));
    for (int k = 0; k < NF; k++) CHECK(fabs(back[k].re - xf[k].re) < 1e-15 && fabs(back[k].im) < 1e-15, "ifft[%d]", k);
    double real[2 * 5] = {1, 2, 3, 4, 5, -1, 0.5, 0, 2, 7}, rback[2 * 5];   /* 2 rows of 5 */
    ssm_complex_t half[2 * 3];
    CHECK_OK(ssm_rfft(2, 5, real, half));
    CHECK(close_to(half[0].re, 15, 1e-15) && half[0].im == 0 && close_to(half[3].re, 8.5, 1e-15), "rfft sums");
    CHECK_OK(ssm_irfft(2, 5, half, rback));
    for (int k = 0; k < 10; k++) CHECK(fabs(rback[k] - real[k]) < 1e-14, "irfft[%d]", k);

    /* Training: a one-mode diagonal student learns a one-mode teacher's outputs. */
    {
        ssm_model_options_t mo;
        CHECK_OK(ssm_model_options_default(&mo));
        mo.kind = SSM_MODEL_DIAGONAL; mo.H = 1; mo.M = 1;
        ssm_model_t *teacher = NULL, *student = NULL;
        CHECK_OK(ssm_model_create(&mo, &teacher));
        mo.precision = SSM_PRECISION_FLOAT32;   /* the student computes its activations in float32 */
        CHECK_OK(ssm_model_create(&mo, &student));
        ssm_complex_t tl = {-0.5, 3}, sl = {-1, 1}, one = {1, 0}, tc = {0.8, -0.3};
        double dstep = 0.1, Dt = 0.2;
        CHECK_OK(ssm_model_set_ssm(teacher, 0, &tl, &one, &tc, &Dt, &dstep));
        CHECK_OK(ssm_model_set_ssm(student, 0, &sl, &one, &one, NULL, &dstep));
        int64_t count = 0, in_size = 0, out_size = 0;
        CHECK_OK(ssm_model_parameter_count(student, &count));
        CHECK(count == 8, "parameter count %lld (a, b, B, C, D, Δ)", (long long)count);
        CHECK_OK(ssm_model_shapes(student, 16, &in_size, &out_size));
        CHECK(in_size == 16 && out_size == 16, "shapes");
        enum { EX = 32, LT = 16 };
        double u[EX * LT], y[EX * LT], params[8], grad[8], loss = 0, metric = 0, norm = 0;
        for (int i = 0; i < EX * LT; i++) u[i] = sin(0.37 * i) + cos(1.3 * i * i);
        CHECK_OK(ssm_model_forward(teacher, EX, LT, u, y));
        CHECK_OK(ssm_model_get_parameters(student, 8, params));
        CHECK(fabs(params[0] + 1) < 1e-15 && fabs(params[7] - log(0.1)) < 1e-15, "parameters: Re λ, log Δ");
        CHECK_OK(ssm_model_loss_gradient(student, EX, LT, u, y, NULL, NULL, &loss, &metric, grad));
        CHECK(loss > 0 && metric > 0, "loss %g", loss);
        ssm_optimizer_options_t oo;
        CHECK_OK(ssm_optimizer_options_default(&oo));
        oo.rule = SSM_OPT_ADAM; oo.learning_rate = 0.05; oo.weight_decay = 0;
        ssm_optimizer_t *opt = NULL;
        CHECK_OK(ssm_optimizer_create(student, &oo, &opt));
        CHECK_OK(ssm_optimizer_step(opt, student, 8, grad, &norm));
        int64_t steps = 0;
        CHECK_OK(ssm_optimizer_steps(opt, &steps));
        CHECK(steps == 1 && norm > 0, "one optimizer step");
        ssm_trainer_t *trainer = NULL;
        CHECK_OK(ssm_trainer_create(student, opt, EX, LT, u, y, NULL, NULL, 8, 7, &trainer));
        int budget = 10;
        int32_t stop = -1;
        CHECK_OK(ssm_trainer_run(trainer, 3, count_steps, &budget, &stop));
        CHECK(stop == SSM_STOP_CANCELLED, "cancelled after 10 steps (stop %d)", (int)stop);
        CHECK_OK(ssm_trainer_run(trainer, 100, NULL, NULL, &stop));
        CHECK(stop == SSM_STOP_COMPLETED, "completed");
        int64_t history = 0;
        CHECK_OK(ssm_trainer_history(trainer, &history, NULL, NULL));
        CHECK(history == 10 + 400, "history of %lld steps", (long long)history);
        double losses[410];
        CHECK_OK(ssm_trainer_history(trainer, &history, losses, NULL));
        CHECK(losses[409] < 0.01 * losses[0], "the loss fell: %g → %g", losses[0], losses[409]);
        CHECK(strlen(ssm_trainer_message(trainer)) > 0, "trainer message");
        /* Checkpoint: save, spoil the parameters, load them back (with the optimizer's state). */
        char path[] = "api_tour_checkpoint.safetensors";
        double saved[8], spoiled[8] = {0, 0, 0, 0, 0, 0, 0, 0}, back[8];
        CHECK_OK(ssm_model_get_parameters(student, 8, saved));
        CHECK_OK(ssm_checkpoint_save(student, opt, path));
        CHECK_OK(ssm_model_set_parameters(student, 8, spoiled));
        CHECK_OK(ssm_checkpoint_load(student, opt, path));
        CHECK_OK(ssm_model_get_parameters(student, 8, back));
        CHECK(memcmp(saved, back, sizeof saved) == 0, "checkpoint round trip");
        remove(path);
        ssm_trainer_free(trainer);
        ssm_optimizer_free(opt);
        ssm_model_free(student);
        ssm_model_free(teacher);
        /* A dense readout model: y = Cd x + Dd u with x_k = 0.5 x_(k−1) + u_k. */
        double da = 0.5, db = 1, dc = 2, dd = 0.5, dy[4];
        ssm_model_t *dense = NULL;
        CHECK_OK(ssm_model_create_dense(1, 1, 1, &da, &db, &dc, &dd, 0, &dense));
        CHECK_OK(ssm_model_forward(dense, 1, 4, su, dy));
        for (int k = 0; k < 4; k++) CHECK(fabs(dy[k] - (2 * sy[k] + 0.5 * su[k])) <= 1e-14, "dense forward[%d]", k);
        ssm_model_free(dense);
        ssm_model_free(NULL);
        ssm_optimizer_free(NULL);
        ssm_trainer_free(NULL);
    }

    /* Tasks and data: AR(1) inputs, their ρ, an exponential-memory target, delayed recall, sinusoids. */
    {
        enum { TC = 4, TL = 16 };
        double x[TC * TL], rho[4], w[TL], yt[TC * TL], ri[2 * 2 * TL], rt[2 * TL], rm[2 * TL], sx[3 * TL];
        int64_t sl[3];
        CHECK_OK(ssm_input_generate(SSM_INPUT_AR1, 0.5, TC, TL, 1, x));
        CHECK_OK(ssm_input_autocorrelation(SSM_INPUT_AR1, 0.5, 4, rho));
        CHECK(rho[0] == 1 && rho[1] == 0.5 && rho[3] == 0.125, "AR(1) autocorrelation");
        CHECK_OK(ssm_memory_weights(SSM_MEMORY_DELAY, 2, 0, TL, w));
        CHECK(w[2] == 1 && w[1] == 0, "delay weights");
        CHECK_OK(ssm_memory_target(SSM_MEMORY_DELAY, 2, 0, TC, TL, x, yt));
        CHECK(yt[5] == x[3] && yt[0] == 0, "delay target");
        CHECK_OK(ssm_delayed_recall(2, TL, 2, 5, 3, ri, rt, rm));
        CHECK(rt[5] == ri[0] && rm[5] == 1 && rm[4] == 0, "delayed recall");
        CHECK_OK(ssm_sinusoid_task(3, TL, 2, 2, 2, 0.1, 10, 4, sx, sl));
        CHECK(sl[0] >= 0 && sl[0] < 2, "sinusoid labels");
    }

    /* Autocorrelation theory: one zero mode (w = 0, B = 1) has closed forms; a second mode joins
     * for the Gram matrices. */
    {
        enum { AL = 64 };
        ssm_complex_t w0[1] = {{0, 0}}, c0[1] = {{1, 0}};
        double white[AL], ones[AL], rho[AL], power, expected, bound, dt, weight[2];
        int64_t iterations = 0, evaluations = 0;
        for (int k = 0; k < AL; k++) {
            white[k] = k == 0 ? 1 : 0;
            ones[k] = 1;
        }
        CHECK_OK(ssm_output_weights(1, w0, NULL, c0, 0.1, AL, rho));
        CHECK(close_to(rho[0], 0.1, 1e-15) && close_to(rho[AL - 1], 0.1, 1e-15), "ρ_m = Δ for w = 0");
        CHECK_OK(ssm_output_power(1, w0, NULL, c0, 0.1, AL, ones, &power));
        CHECK(close_to(power, 0.01 * AL * AL, 1e-12), "constant input: (LΔ)² = %g", power);
        CHECK_OK(ssm_expected_output_power(1, w0, NULL, 0.1, AL, white, &expected));
        CHECK(close_to(expected, 0.5 * 0.01 * AL, 1e-14), "white noise: ½Δ²L = %g", expected);
        CHECK_OK(ssm_output_power_bound(1, w0, NULL, c0, 0.1, AL, (double)AL, &bound));
        CHECK(close_to(bound, power, 1e-12), "the bound is tight for w = 0 and a constant input");
        CHECK_OK(ssm_critical_timescale(1, w0, NULL, AL, white, 1.0, 1e-8, 1e3, &dt, &iterations, &evaluations));
        CHECK(close_to(dt, sqrt(2.0 / AL), 1e-14) && evaluations > iterations, "Δ* = √(2/L) = %g", dt);
        CHECK_OK(ssm_timescale_rule(AL, 4.0, 2.0, &dt));
        CHECK(dt == 0.125, "κ/√(L λ_max) = %g", dt);
        double re[2] = {-0.5, 0};
        CHECK_OK(ssm_memory_weight(2, re, 0.1, 11, weight));
        CHECK(close_to(weight[0], exp(-0.5), 1e-15) && weight[1] == 1, "first-token weight");
        ssm_complex_t w2[2] = {{-0.5, 0}, {-0.5, 3}};
        double Gc[4], Gd[4], kappa, err;
        CHECK_OK(ssm_gram_continuous(2, w2, Gc));
        CHECK(close_to(Gc[0], 1.0, 1e-15) && close_to(Gc[1], 0.1, 1e-15), "continuous Gram");
        CHECK_OK(ssm_gram_discrete(2, w2, 0.001, 60000, Gd));
        CHECK(fabs(Gd[3] - Gc[3] - 0.0005) < 1e-6, "discrete Gram → continuous + Δ/2");
        CHECK_OK(ssm_condition_number(2, Gc, &kappa));
        CHECK(kappa > 1 && kappa < 3, "κ = %g", kappa);
        double target[AL];
        for (int k = 0; k < AL; k++) target[k] = 2 * exp(-0.5 * 0.1 * k);
        CHECK_OK(ssm_approximation_error(2, w2, 0.1, AL, target, -1, &err));
        CHECK(err < 1e-28, "a target in the span: error %g", err);
    }

    /* Autocorrelation estimators: the ACF of (1, −1, 1, −1) with a missing value, its Toeplitz matrix,
     * products, λ_max by Lanczos and densely, and the exponent of an exact power law. */
    {
        ssm_acf_options_t aopt;
        CHECK_OK(ssm_acf_options_default(&aopt));
        CHECK(aopt.size == (int64_t)sizeof aopt && aopt.biased && aopt.centered && aopt.normalized, "acf defaults");
        /* Mean 0, biased, normalized: S(k) = (4 − k)(−1)^k, so ρ = (1, −3/4, 1/2, −1/4). */
        double xa[4] = {1, -1, 1, -1}, acf[4];
        int64_t pairs[4];
        CHECK_OK(ssm_acf(1, 4, xa, 4, &aopt, acf, pairs));
        CHECK(acf[0] == 1 && close_to(acf[1], -0.75, 1e-15) && close_to(acf[3], -0.25, 1e-15) && pairs[3] == 1,
              "acf of an alternating sequence");
        /* (1, NaN, 3, 5), not centered, unbiased covariance: lag 1 has the single pair (3, 5). */
        double xm[4] = {1, NAN, 3, 5};
        aopt.centered = 0;
        aopt.biased = 0;
        aopt.normalized = 0;
        CHECK_OK(ssm_acf(1, 4, xm, 2, &aopt, acf, pairs));
        CHECK(pairs[0] == 3 && pairs[1] == 1 && close_to(acf[0], 35.0 / 3, 1e-15) && close_to(acf[1], 15, 1e-15),
              "acf with a missing value");
        double r[3] = {2, -1, 0.5}, R[9], v[3] = {1, 2, 3}, Rv[3];
        CHECK_OK(ssm_toeplitz(3, r, R));
        CHECK(R[0] == 2 && R[1] == -1 && R[2] == 0.5 && R[3] == -1 && R[8] == 2, "toeplitz");
        CHECK_OK(ssm_toeplitz_matvec(3, r, 1, v, Rv));
        CHECK(close_to(Rv[0], 1.5, 1e-14) && close_to(Rv[1], 0, 1e-14) && close_to(Rv[2], 4.5, 1e-14), "toeplitz_matvec");
        /* [[1, .5], [.5, 1]] has eigenvalues 1.5 and 0.5; white noise (R = I) converges in one step. */
        double r2[2] = {1, 0.5}, lmax = 0, lres = -1, white[64] = {1};
        int64_t its = -1;
        CHECK_OK(ssm_toeplitz_lambda_max(2, r2, SSM_EIGEN_LANCZOS, 1e-12, 100, &lmax, &its, &lres));
        CHECK(close_to(lmax, 1.5, 1e-14) && its >= 1 && its <= 2 && lres <= 1e-12 * 1.5, "lambda_max lanczos");
        CHECK_OK(ssm_toeplitz_lambda_max(2, r2, SSM_EIGEN_DENSE, 1e-12, 100, &lmax, &its, NULL));
        CHECK(close_to(lmax, 1.5, 1e-14) && its == 0, "lambda_max dense");
        CHECK_OK(ssm_toeplitz_lambda_max(64, white, SSM_EIGEN_LANCZOS, 1e-12, 100, &lmax, &its, NULL));
        CHECK(close_to(lmax, 1, 1e-15) && its == 1, "lambda_max of white noise");
        /* r(k) = 3·k^(−0.4): α = 0.4, c = 3, R² = 1. */
        double pl[32], alpha = 0, c = 0, r_squared = 0;
        int64_t used = 0;
        pl[0] = 1;
        for (int k = 1; k < 32; k++) pl[k] = 3 * pow(k, -0.4);
        CHECK_OK(ssm_long_memory_fit(32, pl, 1, 31, &alpha, &c, &used, &r_squared));
        CHECK(close_to(alpha, 0.4, 1e-12) && close_to(c, 3, 1e-12) && used == 31 && close_to(r_squared, 1, 1e-12),
              "long_memory_fit");
    }

    /* Dynamical systems: names, dimensions, defaults, a Lorenz trajectory, an explicit signal, and
     * ẋ = −x through a C callback against e^(−t). */
    {
        int32_t sys = -1;
        int64_t dim = 0, np_ = 0;
        double lp[3], lx0[3], traj[3 * 11], sc[5], ex[11];
        CHECK_OK(ssm_system_from_name("lorenz", &sys));
        CHECK(sys == SSM_SYSTEM_LORENZ, "system_from_name");
        CHECK_OK(ssm_system_dimension(SSM_SYSTEM_LINEAR_ODE, 9, &dim));
        CHECK(dim == 3, "linear_ode dimension %lld", (long long)dim);
        CHECK_OK(ssm_system_defaults(SSM_SYSTEM_LORENZ, &np_, lp, lx0));
        CHECK(np_ == 3 && lp[0] == 10 && lp[1] == 28 && close_to(lp[2], 8.0 / 3, 1e-15) && lx0[2] == 1, "lorenz defaults");
        CHECK_OK(ssm_system_simulate(SSM_SYSTEM_LORENZ, NULL, 0, NULL, 0, 0.01, 11, SSM_ODE_DOPRI, 1e-10, 1e-12, 0, traj));
        CHECK(traj[0] == 1 && traj[1] == 1 && traj[2] == 1 && traj[3] > 1, "lorenz trajectory");
        CHECK_OK(ssm_system_simulate(SSM_SYSTEM_SINE_CUBED, NULL, 0, NULL, 0, 0.5, 5, SSM_ODE_RK4, 0, 0, 0, sc));
        CHECK(close_to(sc[2], 2 * pow(sin(1.0), 3), 1e-15), "sine_cubed");
        CHECK_OK(ssm_integrate(1, decay_rhs, NULL, (const double[]){1.0}, 0, 0.1, 11, SSM_ODE_DOPRI, 1e-10, 1e-12, ex));
        CHECK(fabs(ex[10] - exp(-1.0)) < 1e-10, "integrate e^(-t): %.17g", ex[10]);
    }

    if (failures == 0) printf("api_tour: all checks passed\n");
    return failures == 0 ? 0 : 1;
}
