/* bad_inputs.c — every class of bad input gets a status and a message that names the argument;
 * the process survives all of them. Runs under CTest. */
#include <math.h>
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "ssmkit.h"

static int failures = 0, checks = 0;

/* `status` must equal `expected` and ssm_last_error() must contain `needle`. */
static void expect(int32_t status, int32_t expected, const char *needle, const char *what) {
    checks++;
    const char *msg = ssm_last_error();
    if (status != expected || strstr(msg, needle) == NULL) {
        fprintf(stderr, "FAIL %s: status %d (expected %d), message \"%s\" (expected to name \"%s\")\n",
                what, (int)status, (int)expected, msg, needle);
        failures++;
    }
}

/* A right-hand side that always aborts. */
static int32_t refuse_rhs(double t, const double *x, double *dx, void *user) {
    (void)t; (void)x; (void)dx; (void)user;
    return 7;
}

/* ẋ = x², which blows up at t = 1. */
static int32_t square_rhs(double t, const double *x, double *dx, void *user) {
    (void)t; (void)user;
    dx[0] = x[0] * x[0];
    return 0;
}

int main(void) {
    double A[4] = {-1, 0, 0, -2}, B[2] = {1, 1}, C[2] = {1, 0}, D[1] = {0};
    double Ad[4], Bd[2], Cd[2], Dd[1], P[8];
    ssm_complex_t lam[2] = {{-1, 0}, {-0.5, 1}}, out[2], bout[2];
    double dt1 = 0.1;
    int32_t code = 0;

    /* NULL pointers. */
    expect(ssm_expm(2, NULL, Ad), SSM_ERR_NULL, "M", "expm NULL input");
    expect(ssm_expm(2, A, NULL), SSM_ERR_NULL, "out", "expm NULL output");
    expect(ssm_expm_complex(2, NULL, out), SSM_ERR_NULL, "M", "expm_complex NULL");
    expect(ssm_hippo(SSM_MEASURE_LEGS, 2, NULL, NULL, B), SSM_ERR_NULL, "A", "hippo NULL A");
    expect(ssm_hippo_rank(SSM_MEASURE_LEGS, NULL), SSM_ERR_NULL, "rank", "hippo_rank NULL");
    expect(ssm_hippo_rank_correction(SSM_MEASURE_LEGS, 2, NULL, NULL), SSM_ERR_NULL, "P", "rank_correction NULL");
    expect(ssm_hippo_options_default(NULL), SSM_ERR_NULL, "options", "hippo options NULL");
    expect(ssm_discretize_options_default(NULL), SSM_ERR_NULL, "options", "discretize options NULL");
    expect(ssm_measure_from_name(NULL, &code), SSM_ERR_NULL, "name", "measure_from_name NULL");
    expect(ssm_method_from_name("zoh", NULL), SSM_ERR_NULL, "method", "method_from_name NULL");
    expect(ssm_discretize(2, 1, 1, A, NULL, C, D, 0.1, NULL, Ad, Bd, Cd, Dd), SSM_ERR_NULL, "B", "discretize NULL B");
    expect(ssm_discretize(2, 1, 1, A, B, NULL, D, 0.1, NULL, Ad, Bd, Cd, Dd), SSM_ERR_NULL, "C", "discretize NULL C");
    expect(ssm_discretize_diag(SSM_METHOD_ZOH, 1, 2, NULL, NULL, &dt1, 1, 0, out, NULL), SSM_ERR_NULL, "lambda", "diag NULL lambda");
    expect(ssm_discretize_diag(SSM_METHOD_ZOH, 1, 2, lam, lam, &dt1, 1, 0, out, NULL), SSM_ERR_NULL, "B_bar", "diag NULL B_bar");

    /* DPLR: NULL outputs, pairs with odd N, LMU, huge N. */
    ssm_complex_t dl[4], dp[8], db[4];
    expect(ssm_dplr(SSM_MEASURE_LEGS, 4, NULL, 1, NULL, dp, db, NULL, NULL), SSM_ERR_NULL, "Lambda", "dplr NULL Lambda");
    expect(ssm_dplr(SSM_MEASURE_LEGS, 4, NULL, 1, dl, dp, NULL, NULL, NULL), SSM_ERR_NULL, "B", "dplr NULL B");
    expect(ssm_dplr(SSM_MEASURE_FOUT, 3, NULL, 1, dl, dp, db, NULL, NULL), SSM_ERR_SIZE, "odd", "dplr pairs odd N");
    expect(ssm_dplr(SSM_MEASURE_LMU, 4, NULL, 1, dl, dp, db, NULL, NULL), SSM_ERR_UNSUPPORTED, "LMU", "dplr LMU");
    expect(ssm_dplr(SSM_MEASURE_LEGS, (int64_t)1 << 20, NULL, 1, dl, dp, db, NULL, NULL), SSM_ERR_MEMORY,
           "allocation limit", "dplr huge N");
    expect(ssm_dplr(9, 4, NULL, 1, dl, dp, db, NULL, NULL), SSM_ERR_VALUE, "measure", "dplr bad measure");

    /* Diagonal initialization: NULL, bad options, sizes, unsupported combinations. */
    ssm_diag_options_t dgo;
    ssm_complex_t dgl[64];
    int64_t dgm = 0;
    expect(ssm_diag_options_default(NULL), SSM_ERR_NULL, "options", "diag options NULL");
    ssm_diag_options_default(&dgo);
    dgo.N = 8;
    expect(ssm_diag_init(&dgo, NULL, NULL, NULL, NULL), SSM_ERR_NULL, "lambda", "diag NULL lambda");
    expect(ssm_diag_modes(&dgo, NULL), SSM_ERR_NULL, "modes", "diag_modes NULL");
    expect(ssm_diag_scheme_from_name("s5", &code), SSM_ERR_VALUE, "s5", "diag unknown scheme");
    dgo.N = 7;
    expect(ssm_diag_init(&dgo, dgl, NULL, NULL, NULL), SSM_ERR_SIZE, "N", "diag odd N");
    dgo.N = 8; dgo.scheme = 99;
    expect(ssm_diag_modes(&dgo, &dgm), SSM_ERR_VALUE, "scheme", "diag bad scheme value");
    dgo.scheme = SSM_DIAG_LRU; dgo.override_real = 1;
    expect(ssm_diag_init(&dgo, dgl, NULL, NULL, NULL), SSM_ERR_UNSUPPORTED, "real_part", "diag LRU real part");
    dgo.override_real = 0; dgo.r_min = 2;
    expect(ssm_diag_init(&dgo, dgl, NULL, NULL, NULL), SSM_ERR_VALUE, "r_min", "diag LRU radius");
    dgo.scheme = SSM_DIAG_LIN; dgo.r_min = 0; dgo.H = -2;
    expect(ssm_diag_init(&dgo, dgl, NULL, NULL, NULL), SSM_ERR_SIZE, "H", "diag negative H");
    dgo.H = (int64_t)1 << 30; dgo.N = 1024;
    expect(ssm_diag_init(&dgo, dgl, NULL, NULL, NULL), SSM_ERR_MEMORY, "allocation limit", "diag huge");
    dgo.size = 3;
    expect(ssm_diag_modes(&dgo, &dgm), SSM_ERR_VALUE, "size", "diag uninitialized options");

    /* Timescales. */
    double tsx[2] = {0.1, -1}, tsy[2];
    expect(ssm_timescales(2, 0.1, 0.01, 0, tsy), SSM_ERR_VALUE, "dt_min", "timescales reversed range");
    expect(ssm_timescales(0, 0.01, 0.1, 0, tsy), SSM_ERR_SIZE, "count", "timescales count 0");
    expect(ssm_timescales(2, 0.01, 0.1, 0, NULL), SSM_ERR_NULL, "dt", "timescales NULL");
    expect(ssm_dt_transform(SSM_DT_SOFTPLUS, 1, 2, tsx, 0, tsy), SSM_ERR_VALUE, "x[1]", "dt_transform negative dt");
    expect(ssm_dt_transform(7, 0, 2, tsx, 0, tsy), SSM_ERR_VALUE, "transform", "dt_transform unknown");
    tsx[1] = 1000;
    expect(ssm_dt_transform(SSM_DT_EXP, 0, 2, tsx, 0, tsy), SSM_UNSTABLE, "overflows", "dt_transform overflow");

    /* Kernel and threads: NULL, sizes, non-finite, overflow. */
    ssm_complex_t kz[2] = {{-0.1, 1}, {-0.2, 2}}, kw[2] = {{1, 0}, {1, 0}};
    double kk[8];
    expect(ssm_kernel_diag(1, 2, 4, NULL, kw, 1, kk), SSM_ERR_NULL, "z", "kernel NULL z");
    expect(ssm_kernel_diag(1, 2, 4, kz, kw, 1, NULL), SSM_ERR_NULL, "K", "kernel NULL K");
    expect(ssm_kernel_diag(1, 2, 0, kz, kw, 1, kk), SSM_ERR_SIZE, "L", "kernel L = 0");
    expect(ssm_kernel_diag(-1, 2, 4, kz, kw, 1, kk), SSM_ERR_SIZE, "H", "kernel negative H");
    expect(ssm_kernel_diag((int64_t)1 << 40, (int64_t)1 << 40, 4, kz, kw, 1, kk), SSM_ERR_SIZE, "overflows", "kernel H·N overflow");
    kz[1].im = NAN;
    expect(ssm_kernel_diag(1, 2, 4, kz, kw, 1, kk), SSM_ERR_VALUE, "z[0, 1]", "kernel NaN");
    kz[1].im = 2; kz[0].re = 800;
    expect(ssm_kernel_diag(1, 2, 4, kz, kw, 1, kk), SSM_UNSTABLE, "overflows", "kernel growth");
    expect(ssm_set_threads(-1), SSM_ERR_VALUE, "threads", "set_threads negative");

    /* Scan: NULL, sizes, non-finite, growth. */
    ssm_complex_t sl1 = {0.5, 0}, sb1 = {1, 0}, sc1 = {1, 0};
    double su1[3] = {1, 2, 3}, sy1[3];
    expect(ssm_scan_diag(1, 1, 1, 3, &sl1, &sb1, &sc1, NULL, 1, NULL, NULL, sy1, NULL), SSM_ERR_NULL, "u", "scan NULL u");
    expect(ssm_scan_diag(1, 1, 1, 3, NULL, &sb1, &sc1, NULL, 1, su1, NULL, sy1, NULL), SSM_ERR_NULL, "lambda_bar", "scan NULL lambda");
    expect(ssm_scan_diag(0, 1, 1, 3, &sl1, &sb1, &sc1, NULL, 1, su1, NULL, sy1, NULL), SSM_ERR_SIZE, "batch", "scan batch 0");
    expect(ssm_scan_diag((int64_t)1 << 40, (int64_t)1 << 40, 1, 3, &sl1, &sb1, &sc1, NULL, 1, su1, NULL, sy1, NULL),
           SSM_ERR_SIZE, "overflows", "scan batch·H overflow");
    su1[1] = NAN;
    expect(ssm_scan_diag(1, 1, 1, 3, &sl1, &sb1, &sc1, NULL, 1, su1, NULL, sy1, NULL), SSM_ERR_VALUE, "u[0, 1]", "scan NaN u");
    su1[1] = 2; sl1.re = 1e300;
    expect(ssm_scan_diag(1, 1, 1, 3, &sl1, &sb1, &sc1, NULL, 1, su1, NULL, sy1, NULL), SSM_UNSTABLE, "overflows", "scan growth");

    /* Dense kernel. */
    double kda[4] = {0.5, 0, 0, 0.5}, kdb[2] = {1, 1}, kdc[2] = {1, 1}, kdk[6];
    expect(ssm_kernel_dense(2, 1, 1, 3, NULL, kdb, kdc, kdk), SSM_ERR_NULL, "Ad", "kernel_dense NULL Ad");
    expect(ssm_kernel_dense(2, 1, 1, 0, kda, kdb, kdc, kdk), SSM_ERR_SIZE, "L", "kernel_dense L = 0");
    kda[3] = NAN;
    expect(ssm_kernel_dense(2, 1, 1, 3, kda, kdb, kdc, kdk), SSM_ERR_VALUE, "A[3]", "kernel_dense NaN");

    /* Dense scan. */
    double dsu[3] = {1, 2, 3}, dsy2[3];
    kda[3] = 0.5;
    expect(ssm_scan_dense(1, 2, 1, 1, 3, kda, kdb, kdc, NULL, NULL, NULL, dsy2, NULL), SSM_ERR_NULL, "u", "scan_dense NULL u");
    expect(ssm_scan_dense(1, 2, 0, 1, 3, kda, kdb, kdc, NULL, dsu, NULL, dsy2, NULL), SSM_ERR_SIZE, "m", "scan_dense m = 0");
    dsu[1] = NAN;
    expect(ssm_scan_dense(1, 2, 1, 1, 3, kda, kdb, kdc, NULL, dsu, NULL, dsy2, NULL), SSM_ERR_VALUE, "u[1]", "scan_dense NaN");

    /* Per-step scan. */
    double sdt[3] = {0.1, 0.1, -0.1}, su2[3] = {1, 2, 3};
    ssm_complex_t sl2 = {-1, 0}, sb2 = {1, 0}, sc2 = {1, 0};
    expect(ssm_scan_diag_dt(1, 1, 1, 3, SSM_METHOD_ZOH, 0.5, &sl2, &sb2, &sc2, NULL, 1, NULL, su2, NULL, sy1, NULL),
           SSM_ERR_NULL, "dt", "scan_dt NULL dt");
    expect(ssm_scan_diag_dt(1, 1, 1, 3, SSM_METHOD_ZOH, 0.5, &sl2, &sb2, &sc2, NULL, 1, sdt, su2, NULL, sy1, NULL),
           SSM_ERR_VALUE, "dt[0, 2]", "scan_dt negative step");
    sdt[2] = 0.1;
    expect(ssm_scan_diag_dt(1, 1, 1, 3, SSM_METHOD_FOH, 0.5, &sl2, &sb2, &sc2, NULL, 1, sdt, su2, NULL, sy1, NULL),
           SSM_ERR_UNSUPPORTED, "foh", "scan_dt foh");
    expect(ssm_scan_diag_dt(1, 1, 1, 3, 42, 0.5, &sl2, &sb2, &sc2, NULL, 1, sdt, su2, NULL, sy1, NULL),
           SSM_ERR_VALUE, "method", "scan_dt unknown method");

    /* Convolution. */
    double cvk[3] = {1, 0, 0}, cvu[3] = {1, 2, 3}, cvy[3];
    expect(ssm_convolve(1, 1, 3, NULL, cvu, NULL, cvy), SSM_ERR_NULL, "K", "convolve NULL K");
    expect(ssm_convolve(1, 1, 0, cvk, cvu, NULL, cvy), SSM_ERR_SIZE, "L", "convolve L = 0");
    expect(ssm_convolve(1, (int64_t)1 << 30, (int64_t)1 << 20, cvk, cvu, NULL, cvy), SSM_ERR_MEMORY, "allocation limit",
           "convolve huge");
    cvu[2] = INFINITY;
    expect(ssm_convolve(1, 1, 3, cvk, cvu, NULL, cvy), SSM_ERR_VALUE, "u[0, 2]", "convolve Inf");

    /* DPLR kernel: NULL, rank > N, dt ≤ 0, λ = 0 (singular). */
    {
        ssm_complex_t zl[2] = {{0, 0}, {-1, 2}}, ones[2] = {{1, 0}, {1, 0}};
        double step = 0.1, bad = -1, kd[16];
        expect(ssm_kernel_dplr(1, 2, 1, 16, zl, NULL, NULL, ones, ones, &step, 0, kd), SSM_ERR_NULL, "P", "dplr NULL P");
        expect(ssm_kernel_dplr(1, 2, 3, 16, zl, ones, NULL, ones, ones, &step, 0, kd), SSM_ERR_SIZE, "rank", "dplr rank > N");
        expect(ssm_kernel_dplr(1, 2, 1, 16, zl, ones, NULL, ones, ones, &bad, 0, kd), SSM_ERR_VALUE, "dt[0]", "dplr dt < 0");
        expect(ssm_kernel_dplr(1, 2, 1, 16, zl, ones, NULL, ones, ones, &step, 0, kd), SSM_SINGULAR, "singular", "dplr λ = 0");
        expect(ssm_kernel_dplr(1, 2, 1, 0, zl, ones, NULL, ones, ones, &step, 0, kd), SSM_ERR_SIZE, "L", "dplr L = 0");
    }

    /* Training handles: NULL, unknown enums, bad hyperparameters, sizes, data. */
    {
        ssm_model_options_t mo;
        ssm_optimizer_options_t oo;
        ssm_model_t *m = NULL;
        ssm_optimizer_t *o = NULL;
        ssm_trainer_t *t = NULL;
        int64_t n = 0;
        expect(ssm_model_create(NULL, NULL), SSM_ERR_NULL, "model", "model_create NULL out");
        ssm_model_options_default(&mo);
        mo.kind = 7;
        expect(ssm_model_create(&mo, &m), SSM_ERR_VALUE, "kind", "model unknown kind");
        ssm_model_options_default(&mo);
        mo.kind = SSM_MODEL_DEEP; mo.objective = SSM_LOSS_CROSS_ENTROPY;
        expect(ssm_model_create(&mo, &m), SSM_ERR_VALUE, "pooling", "cross-entropy without pooling");
        ssm_model_options_default(&mo);
        mo.M = 0;
        expect(ssm_model_create(&mo, &m), SSM_ERR_SIZE, "M", "model M = 0");
        ssm_model_options_default(&mo);
        mo.precision = 2;
        expect(ssm_model_create(&mo, &m), SSM_ERR_VALUE, "precision", "model unknown precision");
        ssm_model_options_default(&mo);
        mo.size = (int64_t)offsetof(ssm_model_options_t, precision) - 1;
        expect(ssm_model_create(&mo, &m), SSM_ERR_VALUE, "size", "model options smaller than before precision");
        expect(ssm_model_parameter_count(NULL, &n), SSM_ERR_NULL, "model", "parameter_count NULL model");
        ssm_model_options_default(&mo);
        mo.M = 1;
        if (ssm_model_create(&mo, &m) == SSM_OK) {
            ssm_complex_t l = {-1, 1}, one = {1, 0};
            double dt0 = 0, dt1 = 0.1, p[8], u[8] = {1, 2, 3, 4, 5, 6, 7, NAN}, y[8] = {0};
            expect(ssm_model_set_ssm(m, 0, &l, &one, &one, NULL, &dt0), SSM_ERR_VALUE, "dt", "set_ssm dt = 0");
            expect(ssm_model_set_ssm(m, 3, &l, &one, &one, NULL, &dt1), SSM_ERR_SIZE, "block", "set_ssm block 3");
            expect(ssm_model_get_parameters(m, 5, p), SSM_ERR_SIZE, "count", "get_parameters wrong count");
            expect(ssm_model_forward(m, 1, 8, u, y), SSM_ERR_VALUE, "not finite", "forward NaN input");
            ssm_optimizer_options_default(&oo);
            oo.learning_rate = 0;
            expect(ssm_optimizer_create(m, &oo, &o), SSM_ERR_VALUE, "learning rate", "optimizer lr = 0");
            ssm_optimizer_options_default(&oo);
            oo.beta1 = 1;
            expect(ssm_optimizer_create(m, &oo, &o), SSM_ERR_VALUE, "betas", "optimizer beta1 = 1");
            ssm_optimizer_options_default(&oo);
            if (ssm_optimizer_create(m, &oo, &o) == SSM_OK) {
                double g[8] = {0, 0, 0, 0, 0, 0, 0, INFINITY};
                expect(ssm_optimizer_step(o, m, 3, g, NULL), SSM_ERR_SIZE, "count", "step wrong count");
                expect(ssm_optimizer_step(o, m, 8, g, NULL), SSM_ERR_VALUE, "not finite", "step Inf gradient");
                u[7] = 8;
                expect(ssm_trainer_create(m, o, 0, 8, u, y, NULL, NULL, 4, 0, &t), SSM_ERR_VALUE, "empty", "trainer empty");
                expect(ssm_trainer_create(m, o, 1, 8, u, y, NULL, NULL, 0, 0, &t), SSM_ERR_VALUE, "batch_size", "trainer batch 0");
                expect(ssm_trainer_create(m, o, 1, 8, u, NULL, NULL, NULL, 1, 0, &t), SSM_ERR_NULL, "targets", "trainer NULL targets");
                if (ssm_trainer_create(m, o, 1, 8, u, y, NULL, NULL, 1, 0, &t) == SSM_OK) {
                    expect(ssm_trainer_run(t, 0, NULL, NULL, NULL), SSM_ERR_VALUE, "epochs", "trainer epochs 0");
                    ssm_trainer_free(t);
                }
                ssm_optimizer_free(o);
            }
            ssm_model_free(m);
        }
        expect(ssm_trainer_history(NULL, &n, NULL, NULL), SSM_ERR_NULL, "trainer", "history NULL trainer");
        ssm_model_options_default(&mo);
        if (ssm_model_create(&mo, &m) == SSM_OK) {
            expect(ssm_checkpoint_load(m, NULL, "/nonexistent/ssmkit.safetensors"), SSM_ERR_IO, "nonexistent", "load missing file");
            expect(ssm_checkpoint_save(m, NULL, NULL), SSM_ERR_NULL, "path", "save NULL path");
            expect(ssm_checkpoint_save(m, NULL, "/nonexistent/dir/x.safetensors"), SSM_ERR_IO, "nonexistent", "save to a missing folder");
            FILE *f = fopen("bad_inputs_garbage.safetensors", "wb");
            if (f) {
                unsigned char junk[16] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, '{', '}'};
                fwrite(junk, 1, sizeof junk, f);
                fclose(f);
                int32_t status = ssm_checkpoint_load(m, NULL, "bad_inputs_garbage.safetensors");
                checks++;
                if (status == SSM_OK) { fprintf(stderr, "FAIL a hostile header length was accepted\n"); failures++; }
                remove("bad_inputs_garbage.safetensors");
            }
            ssm_model_free(m);
        }
        expect(ssm_model_create_dense(2, 1, 1, NULL, NULL, NULL, NULL, 0, &m), SSM_ERR_NULL, "Ad", "dense NULL Ad");
    }

    /* Tasks: unknown process, |φ| ≥ 1, fractional delay, recall window too long, NULL outputs. */
    {
        double tx[8], ty[8];
        int64_t tl[2];
        expect(ssm_input_generate(9, 0, 1, 8, 0, tx), SSM_ERR_VALUE, "process", "unknown process");
        expect(ssm_input_generate(SSM_INPUT_AR1, 1.0, 1, 8, 0, tx), SSM_ERR_VALUE, "φ", "AR(1) φ = 1");
        expect(ssm_memory_target(SSM_MEMORY_DELAY, 1.5, 0, 1, 8, tx, ty), SSM_ERR_VALUE, "whole number", "fractional delay");
        expect(ssm_delayed_recall(1, 8, 3, 6, 0, tx, NULL, NULL), SSM_ERR_SIZE, "fit", "recall window too long");
        expect(ssm_delayed_recall(1, 8, 1, 2, 0, NULL, NULL, NULL), SSM_ERR_NULL, "NULL", "recall all NULL");
        expect(ssm_sinusoid_task(2, 4, 1, 1, 1, 0.1, 1, 0, tx, tl), SSM_ERR_VALUE, "2 frequencies", "one class");
    }

    /* Traps found in review: sizes that overflow per example, aliasing/overflowing frequency
     * bins, outputs that overflow into the cross-entropy. */
    {
        ssm_model_options_t mo;
        ssm_model_t *wide = NULL, *deep = NULL;
        int64_t in_size = 0;
        double out1[2], u1[1] = {1e300};
        int64_t label0[1] = {0};
        ssm_model_options_default(&mo);
        mo.H = 65536; mo.M = 1;
        if (ssm_model_create(&mo, &wide) == SSM_OK) {
            expect(ssm_model_shapes(wide, (int64_t)1 << 48, &in_size, NULL), SSM_ERR_SIZE, "overflow", "shapes H·L overflow");
            ssm_model_free(wide);
        }
        double sx[8];
        int64_t slab[1];
        expect(ssm_sinusoid_task(1, 1, 65537, 0, (int64_t)1 << 48, 0.1, 1.0, 0, sx, slab), SSM_ERR_VALUE, "L/2", "bins overflow");
        expect(ssm_sinusoid_task(1, 8, 2, 0, 8, 0.1, 1.0, 0, sx, slab), SSM_ERR_VALUE, "alias", "aliasing bins");
        ssm_model_options_default(&mo);
        mo.kind = SSM_MODEL_DEEP; mo.H = 2; mo.inputs = 1; mo.outputs = 2; mo.depth = 0;
        mo.pooling = SSM_POOL_LAST; mo.objective = SSM_LOSS_CROSS_ENTROPY;
        if (ssm_model_create(&mo, &deep) == SSM_OK) {
            double p[10] = {1e300, 1e300, 0, 0, 1, -1, 1, -1, 0, 0}, loss = 0, metric = 0, grad[10];
            ssm_model_set_parameters(deep, 10, p);
            expect(ssm_model_loss_gradient(deep, 1, 1, u1, NULL, NULL, label0, &loss, &metric, grad), SSM_UNSTABLE, "overflow",
                   "NaN logits");
            expect(ssm_model_forward(deep, 1, 1, u1, out1), SSM_UNSTABLE, "overflow", "NaN outputs");
            ssm_model_free(deep);
        }
    }

    /* float32 twins: the same checks, and float32 overflow reported. */
    float fk[4], fu[3] = {1, 2, NAN}, f32y[3], fdt[3] = {0.1f, 0.1f, 0.1f}, fbig[3] = {3e38f, 3e38f, 3e38f};
    ssm_complex_t grow = {0.5, 0}, one = {1, 0}, ten = {10, 0};
    expect(ssm_kernel_diag_f32(1, 1, 4, &grow, &one, 1, NULL), SSM_ERR_NULL, "K", "kernel_f32 NULL K");
    expect(ssm_kernel_diag_f32(1, 1, 200, &grow, &one, 1, NULL), SSM_ERR_NULL, "K", "kernel_f32 NULL K (long)");
    {
        float fk200[200];
        expect(ssm_kernel_diag_f32(1, 1, 200, &grow, &one, 1, fk200), SSM_UNSTABLE, "overflows", "kernel_f32 beyond float");
    }
    expect(ssm_kernel_diag_f32(1, 1, 0, &grow, &one, 1, fk), SSM_ERR_SIZE, "L", "kernel_f32 L = 0");
    expect(ssm_scan_diag_f32(1, 1, 1, 3, &one, &one, &one, NULL, 1, fu, NULL, f32y, NULL), SSM_ERR_VALUE, "u[0, 2]", "scan_f32 NaN u");
    expect(ssm_scan_diag_f32(1, 1, 1, 3, &one, &ten, &one, NULL, 1, fbig, NULL, f32y, NULL), SSM_UNSTABLE, "overflows",
           "scan_f32 beyond float");
    expect(ssm_scan_diag_dt_f32(1, 1, 1, 3, SSM_METHOD_ZOH, 0.5, &one, &one, &one, NULL, 1, NULL, fu, NULL, f32y, NULL),
           SSM_ERR_NULL, "dt", "scan_dt_f32 NULL dt");
    fdt[1] = -1;
    expect(ssm_scan_diag_dt_f32(1, 1, 1, 3, SSM_METHOD_ZOH, 0.5, &one, &one, &one, NULL, 1, fdt, fbig, NULL, f32y, NULL),
           SSM_ERR_VALUE, "dt[0, 1]", "scan_dt_f32 negative step");
    expect(ssm_convolve_f32(1, 1, 3, fbig, fu, NULL, f32y), SSM_ERR_VALUE, "u[0, 2]", "convolve_f32 NaN");
    expect(ssm_convolve_f32(1, 1, -3, fbig, fu, NULL, f32y), SSM_ERR_SIZE, "L", "convolve_f32 negative L");

    /* HiPPO-Prophecy: options, guard, shapes, NULL handles, non-finite samples, LegS export. */
    {
        ssm_predictor_options_t po;
        ssm_predictor_t *pr = NULL;
        expect(ssm_predictor_options_default(NULL), SSM_ERR_NULL, "options", "predictor_options_default NULL");
        ssm_predictor_options_default(&po);
        expect(ssm_predictor_create(&po, 1, NULL), SSM_ERR_NULL, "predictor", "predictor_create NULL out");
        po.N = 8;
        po.basis = SSM_PROPHECY_FOUT;
        expect(ssm_predictor_create(&po, 1, &pr), SSM_ERR_SIZE, "odd", "predictor FouT even N");
        po.basis = 7;
        expect(ssm_predictor_create(&po, 1, &pr), SSM_ERR_VALUE, "options->basis", "predictor unknown basis");
        po.basis = SSM_PROPHECY_LEGT;
        po.method = SSM_METHOD_FOH;
        expect(ssm_predictor_create(&po, 1, &pr), SSM_ERR_VALUE, "options->method", "predictor FOH");
        po.method = SSM_METHOD_BILINEAR;
        po.dt = -1;
        expect(ssm_predictor_create(&po, 1, &pr), SSM_ERR_VALUE, "dt", "predictor negative dt");
        po.dt = 0.1;
        expect(ssm_predictor_create(&po, 0, &pr), SSM_ERR_SIZE, "d", "predictor d = 0");
        po.output = SSM_RULE_TRAPEZOID;   /* N = 8, W = 20: 1 − 64/40 < 0 */
        expect(ssm_predictor_create(&po, 1, &pr), SSM_ERR_VALUE, "largest allowed N", "predictor trapezoid guard");
        ssm_predictor_options_t uninitialized = {0};
        expect(ssm_predictor_create(&uninitialized, 1, &pr), SSM_ERR_VALUE, "options->size", "predictor uninitialized options");
        po.output = SSM_RULE_EULER;
        expect(ssm_predictor_create(&po, 2, &pr), SSM_OK, "", "predictor create");
        double pu[6] = {1, 2, 3, 4, 5, 6}, pp[6];
        expect(ssm_predictor_predict(NULL, 1, 3, 2, pu, pp), SSM_ERR_NULL, "predictor", "predict NULL handle");
        expect(ssm_predictor_predict(pr, 1, 3, 2, NULL, pp), SSM_ERR_NULL, "u", "predict NULL u");
        expect(ssm_predictor_predict(pr, 1, 0, 2, pu, pp), SSM_ERR_SIZE, "T", "predict T = 0");
        pu[3] = NAN;
        expect(ssm_predictor_predict(pr, 1, 3, 2, pu, pp), SSM_ERR_VALUE, "u[3]", "predict NaN");
        expect(ssm_predictor_step(pr, &pu[2], pp), SSM_ERR_VALUE, "x[1]", "step NaN");
        expect(ssm_predictor_step(pr, pu, NULL), SSM_ERR_NULL, "next", "step NULL next");
        expect(ssm_predictor_reset(NULL), SSM_ERR_NULL, "predictor", "reset NULL");
        expect(ssm_predictor_ssm(pr, NULL, pp, pp, pp), SSM_ERR_NULL, "Ad", "predictor_ssm NULL Ad");
        expect(ssm_predictor_rollout(pr, 1, 2, pu, -1, pp), SSM_ERR_SIZE, "steps", "rollout negative steps");
        expect(ssm_predictor_rollout(pr, 2, 2, pu, 1, pp), SSM_ERR_VALUE, "context[3]", "rollout NaN context");
        expect(ssm_predictor_rollout(pr, 1, 2, pu, 1, NULL), SSM_ERR_NULL, "out", "rollout NULL out");
        ssm_predictor_free(pr);
        po.basis = SSM_PROPHECY_LEGS;
        pr = NULL;
        expect(ssm_predictor_create(&po, 1, &pr), SSM_OK, "", "LegS predictor");
        int64_t pn = 0;
        double rho = 0;
        expect(ssm_predictor_state_size(pr, &pn), SSM_ERR_UNSUPPORTED, "time-varying", "LegS state size");
        expect(ssm_predictor_rollout_radius(pr, &rho), SSM_ERR_UNSUPPORTED, "time-varying", "LegS rollout radius");
        expect(ssm_predictor_rollout_radius(pr, NULL), SSM_ERR_NULL, "radius", "rollout radius NULL");
        ssm_predictor_free(pr);
        /* Baselines. */
        double bu[4] = {1, 2, 3, 4}, bp[4];
        expect(ssm_baseline_predict(5, 1, 1, 4, 1, bu, bp), SSM_ERR_VALUE, "ssm_baseline_t", "baseline unknown method");
        expect(ssm_baseline_predict(SSM_BASELINE_POLYNOMIAL, 21, 1, 4, 1, bu, bp), SSM_ERR_VALUE, "0…20", "baseline order 21");
        expect(ssm_baseline_predict(SSM_BASELINE_POLYNOMIAL, -1, 1, 4, 1, bu, bp), SSM_ERR_VALUE, "polynomial order",
               "baseline negative order");
        expect(ssm_baseline_predict(SSM_BASELINE_PARROT, 0, 1, 4, 1, bu, bp), SSM_ERR_VALUE, "parroting window",
               "baseline window 0");
        expect(ssm_baseline_predict(SSM_BASELINE_PERSISTENCE, 0, 1, 4, 1, bu, NULL), SSM_ERR_NULL, "pred", "baseline NULL pred");
        expect(ssm_baseline_predict(SSM_BASELINE_PERSISTENCE, 0, 1, -4, 1, bu, bp), SSM_ERR_SIZE, "T", "baseline negative T");
        bu[2] = INFINITY;
        expect(ssm_baseline_predict(SSM_BASELINE_PARROT, 1, 1, 4, 1, bu, bp), SSM_ERR_VALUE, "u[2]", "baseline infinite u");
    }

    /* Fourier transforms: NULL, sizes, overflow, allocation limit, non-finite input. */
    ssm_complex_t fx[4] = {{1, 0}, {2, 0}, {3, 0}, {4, 0}}, fy[4];
    double fr[4] = {1, 2, 3, 4};
    expect(ssm_fft(1, 4, NULL, fy), SSM_ERR_NULL, "x", "fft NULL x");
    expect(ssm_ifft(1, 4, fx, NULL), SSM_ERR_NULL, "out", "ifft NULL out");
    expect(ssm_rfft(1, 4, NULL, fy), SSM_ERR_NULL, "x", "rfft NULL x");
    expect(ssm_irfft(1, 4, fx, NULL), SSM_ERR_NULL, "out", "irfft NULL out");
    expect(ssm_fft(1, 0, fx, fy), SSM_ERR_SIZE, "n", "fft n = 0");
    expect(ssm_fft(0, 4, fx, fy), SSM_ERR_SIZE, "count", "fft count = 0");
    expect(ssm_rfft(-1, 4, fr, fy), SSM_ERR_SIZE, "count", "rfft negative count");
    expect(ssm_fft((int64_t)1 << 40, (int64_t)1 << 40, fx, fy), SSM_ERR_SIZE, "overflows", "fft count·n overflow");
    expect(ssm_fft(1, (int64_t)1 << 40, fx, fy), SSM_ERR_MEMORY, "allocation limit", "fft huge n");
    fx[2].im = NAN;
    expect(ssm_fft(1, 4, fx, fy), SSM_ERR_VALUE, "x[2]", "fft NaN");
    fr[3] = INFINITY;
    expect(ssm_rfft(1, 4, fr, fy), SSM_ERR_VALUE, "x[3]", "rfft Inf");

    /* Negative, zero and overflowing sizes. */
    expect(ssm_expm(-3, A, Ad), SSM_ERR_SIZE, "n", "expm negative n");
    expect(ssm_expm(0, A, Ad), SSM_ERR_SIZE, "n", "expm zero n");
    expect(ssm_hippo(SSM_MEASURE_LEGS, -1, NULL, A, B), SSM_ERR_SIZE, "N", "hippo negative N");
    expect(ssm_hippo(SSM_MEASURE_LEGS, INT64_MAX, NULL, A, B), SSM_ERR_SIZE, "N", "hippo N overflow");
    expect(ssm_discretize(2, -1, 1, A, B, C, D, 0.1, NULL, Ad, Bd, Cd, Dd), SSM_ERR_SIZE, "m", "discretize negative m");
    expect(ssm_discretize_diag(SSM_METHOD_ZOH, 1, 2, lam, NULL, &dt1, 3, 0, out, NULL), SSM_ERR_SIZE, "dt_count", "diag dt_count");
    expect(ssm_hippo(SSM_MEASURE_FOUT, 4, NULL, A, B), SSM_ERR_SIZE, "odd", "FouT with even N");

    /* Allocation limit: N so large the work would exceed it (nothing is allocated). */
    expect(ssm_hippo(SSM_MEASURE_LEGS, (int64_t)1 << 24, NULL, A, B), SSM_ERR_MEMORY, "allocation limit", "hippo huge N");
    expect(ssm_expm((int64_t)1 << 20, A, Ad), SSM_ERR_MEMORY, "allocation limit", "expm huge n");
    expect(ssm_set_allocation_limit(0), SSM_ERR_VALUE, "bytes", "limit zero");
    if (ssm_set_allocation_limit(1000) == SSM_OK) {
        expect(ssm_expm(64, A, Ad), SSM_ERR_MEMORY, "allocation limit", "expm over a small limit");
        ssm_set_allocation_limit((int64_t)4 << 30);
    }

    /* Huge output count: the copies of C and D count against the limit too (no allocation). */
    expect(ssm_discretize(1, 1, (int64_t)1 << 47, A, B, C, D, 0.1, NULL, Ad, Bd, Cd, Dd), SSM_ERR_MEMORY,
           "allocation limit", "discretize huge p");

    /* Overflow of dt·A, dt·λ or of θ-scaled HiPPO entries is a numerical outcome (SSM_UNSTABLE). */
    double big_a = -1e10;
    ssm_discretize_options_t bilinear;
    ssm_discretize_options_default(&bilinear);
    bilinear.method = SSM_METHOD_BILINEAR;
    expect(ssm_discretize(1, 1, 1, &big_a, B, C, D, 1e300, &bilinear, Ad, Bd, Cd, Dd), SSM_UNSTABLE,
           "dt·A overflows", "dense dt·A overflow");
    ssm_complex_t huge_lambda[1] = {{-1e308, 0}};
    double dt10 = 10;
    expect(ssm_discretize_diag(SSM_METHOD_EULER, 1, 1, huge_lambda, NULL, &dt10, 1, 0, out, NULL), SSM_UNSTABLE,
           "dt·lambda overflows", "diag dt·λ overflow");
    ssm_hippo_options_t tiny;
    ssm_hippo_options_default(&tiny);
    tiny.theta = 5e-324;
    expect(ssm_hippo(SSM_MEASURE_LEGT, 2, &tiny, A, B), SSM_UNSTABLE, "theta", "hippo with subnormal theta");
    ssm_hippo_options_default(&tiny);
    tiny.theta = 1.7e308;
    tiny.convention = SSM_CONVENTION_S4;
    expect(ssm_hippo(SSM_MEASURE_LEGT, 2, &tiny, A, B), SSM_ERR_VALUE, "theta", "s4 window 2θ overflows");

    /* NaN / Inf in matrices and steps; dt ≤ 0. */
    double Anan[4] = {-1, NAN, 0, -2}, Ainf[4] = {-1, 0, INFINITY, -2};
    expect(ssm_expm(2, Anan, Ad), SSM_ERR_VALUE, "M[0, 1]", "expm NaN");
    expect(ssm_discretize(2, 1, 1, Ainf, B, C, D, 0.1, NULL, Ad, Bd, Cd, Dd), SSM_ERR_VALUE, "A", "discretize Inf in A");
    expect(ssm_discretize(2, 1, 1, A, B, C, D, NAN, NULL, Ad, Bd, Cd, Dd), SSM_ERR_VALUE, "dt", "discretize NaN dt");
    expect(ssm_discretize(2, 1, 1, A, B, C, D, 0.0, NULL, Ad, Bd, Cd, Dd), SSM_ERR_VALUE, "dt", "discretize dt = 0");
    expect(ssm_discretize(2, 1, 1, A, B, C, D, -0.1, NULL, Ad, Bd, Cd, Dd), SSM_ERR_VALUE, "dt", "discretize dt < 0");
    double bad_dt = -1;
    expect(ssm_discretize_diag(SSM_METHOD_ZOH, 1, 2, lam, NULL, &bad_dt, 1, 0, out, NULL), SSM_ERR_VALUE, "dt", "diag dt < 0");
    ssm_complex_t lam_nan[2] = {{NAN, 0}, {-1, 0}};
    expect(ssm_discretize_diag(SSM_METHOD_ZOH, 1, 2, lam_nan, NULL, &dt1, 1, 0, out, NULL), SSM_ERR_VALUE, "lambda", "diag NaN lambda");
    ssm_hippo_options_t hopt;
    ssm_hippo_options_default(&hopt);
    hopt.theta = -1;
    expect(ssm_hippo(SSM_MEASURE_LEGT, 2, &hopt, A, B), SSM_ERR_VALUE, "theta", "hippo theta < 0");

    /* Unknown measure, method, convention; bad alpha; uninitialized options; unsupported. */
    expect(ssm_hippo(99, 2, NULL, A, B), SSM_ERR_VALUE, "measure", "unknown measure");
    expect(ssm_measure_from_name("legx", &code), SSM_ERR_VALUE, "legx", "unknown measure name");
    expect(ssm_method_from_name("rk4", &code), SSM_ERR_VALUE, "rk4", "unknown method name");
    ssm_discretize_options_t dopt;
    ssm_discretize_options_default(&dopt);
    dopt.method = 42;
    expect(ssm_discretize(2, 1, 1, A, B, C, D, 0.1, &dopt, Ad, Bd, Cd, Dd), SSM_ERR_VALUE, "method", "unknown method");
    ssm_discretize_options_default(&dopt);
    dopt.method = SSM_METHOD_GBT;
    dopt.alpha = 1.5;
    expect(ssm_discretize(2, 1, 1, A, B, C, D, 0.1, &dopt, Ad, Bd, Cd, Dd), SSM_ERR_VALUE, "alpha", "alpha > 1");
    ssm_discretize_options_default(&dopt);
    dopt.convention = 7;
    expect(ssm_discretize(2, 1, 1, A, B, C, D, 0.1, &dopt, Ad, Bd, Cd, Dd), SSM_ERR_VALUE, "convention", "unknown convention");
    ssm_discretize_options_default(&dopt);
    dopt.size = 3;
    expect(ssm_discretize(2, 1, 1, A, B, C, D, 0.1, &dopt, Ad, Bd, Cd, Dd), SSM_ERR_VALUE, "size", "uninitialized options");
    ssm_discretize_options_default(&dopt);
    dopt.method = SSM_METHOD_ZOH_A_EULER_B;
    expect(ssm_discretize(2, 1, 1, A, B, C, D, 0.1, &dopt, Ad, Bd, Cd, Dd), SSM_ERR_UNSUPPORTED, "diagonal", "dense zoh_a_euler_b");
    int64_t rank;
    expect(ssm_hippo_rank(SSM_MEASURE_LMU, &rank), SSM_ERR_UNSUPPORTED, "LMU", "LMU rank");
    expect(ssm_hippo_rank_correction(SSM_MEASURE_LMU, 2, NULL, P), SSM_ERR_UNSUPPORTED, "LMU", "LMU rank correction");
    expect(ssm_discretize_diag(SSM_METHOD_FOH, 1, 2, lam, NULL, &dt1, 1, 0, out, bout), SSM_ERR_UNSUPPORTED, "foh", "diag foh");

    /* Numerical outcome: I - dt·A singular for backward differences at dt = 1, A = I. */
    double I2[4] = {1, 0, 0, 1};
    ssm_discretize_options_default(&dopt);
    dopt.method = SSM_METHOD_BACKWARD_DIFF;
    expect(ssm_discretize(2, 1, 1, I2, B, C, D, 1.0, &dopt, Ad, Bd, Cd, Dd), SSM_SINGULAR, "singular", "singular");

    /* Autocorrelation theory. */
    ssm_complex_t tw[2] = {{-1, 1}, {0, 0}}, tc[2] = {{1, 0}, {0, 1}}, tgrow[1] = {{0.5, 0}};
    double tr[4] = {1, 0.5, 0.25, 0.125}, tout[4], tval;
    expect(ssm_output_weights(2, tw, NULL, NULL, 0.1, 4, tout), SSM_ERR_NULL, "c", "theory NULL c");
    expect(ssm_output_power(2, tw, NULL, tc, 0.0, 4, tr, &tval), SSM_ERR_VALUE, "Δ", "theory dt = 0");
    expect(ssm_expected_output_power(2, tw, NULL, 0.1, 0, tr, &tval), SSM_ERR_SIZE, "L", "theory L = 0");
    double tnan[4] = {1, NAN, 0, 0};
    expect(ssm_expected_output_power(2, tw, NULL, 0.1, 4, tnan, &tval), SSM_ERR_VALUE, "r[1]", "theory NaN r");
    expect(ssm_output_power_bound(1, tgrow, NULL, tc, 0.1, 4, 1.0, &tval), SSM_ERR_VALUE, "Re w", "bound Re w > 0");
    expect(ssm_critical_timescale(1, tw, NULL, 4, tr, 1.0, 1e-8, 1e3, &tval, NULL, NULL), SSM_NOT_CONVERGED,
           "stays below", "critical timescale saturates");
    expect(ssm_critical_timescale(2, tw, NULL, 4, tr, -1.0, 1e-8, 1e3, &tval, NULL, NULL), SSM_ERR_VALUE, "target",
           "critical timescale target < 0");
    expect(ssm_timescale_rule(4, INFINITY, 1, &tval), SSM_ERR_VALUE, "λ_max", "timescale rule Inf");
    expect(ssm_gram_continuous(2, tw, tout), SSM_ERR_VALUE, "Re w < 0", "continuous Gram Re w = 0");
    expect(ssm_gram_discrete((int64_t)1 << 40, tw, 0.1, (int64_t)1 << 40, tout), SSM_ERR_SIZE, "overflows",
           "discrete Gram N·L overflow");
    double tasym[4] = {1, 2, 3, 1};
    expect(ssm_condition_number(2, tasym, &tval), SSM_ERR_VALUE, "symmetric", "condition number not symmetric");
    expect(ssm_memory_weight(1, tr, 1.0, (int64_t)1 << 40, tout), SSM_UNSTABLE, "overflows", "memory weight growth");
    double tzero[4] = {0, 0, 0, 0};
    expect(ssm_approximation_error(2, tw, 0.1, 4, tzero, -1, &tval), SSM_ERR_VALUE, "zero", "approximation zero target");
    /* Autocorrelation estimators: NULL, sizes, missing data, Inf, an empty lag, zero variance, methods. */
    {
        double xs[6] = {1, 2, NAN, NAN, 3, 4}, acf[6], val = 0, alpha = 0;
        double allnan[3] = {NAN, NAN, NAN}, zeros[4] = {0, 0, 0, 0}, xinf[3] = {1, INFINITY, 2};
        double r2[2] = {1, 0.5}, short_acf[4] = {1, 0.5, 0.2, -0.1};
        ssm_acf_options_t aopt;
        expect(ssm_acf_options_default(NULL), SSM_ERR_NULL, "options", "acf options NULL");
        expect(ssm_acf(1, 6, NULL, 2, NULL, acf, NULL), SSM_ERR_NULL, "x", "acf NULL x");
        expect(ssm_acf(1, 6, xs, 7, NULL, acf, NULL), SSM_ERR_SIZE, "lags", "acf lags > L");
        expect(ssm_acf(1, 6, xs, 3, NULL, acf, NULL), SSM_ERR_VALUE, "lag 2", "acf lag without pairs");
        expect(ssm_acf(1, 3, allnan, 1, NULL, acf, NULL), SSM_ERR_VALUE, "NaN", "acf all missing");
        expect(ssm_acf(1, 3, xinf, 1, NULL, acf, NULL), SSM_ERR_VALUE, "x[0, 1]", "acf Inf");
        ssm_acf_options_default(&aopt);
        aopt.centered = 0;
        expect(ssm_acf(1, 4, zeros, 2, &aopt, acf, NULL), SSM_ERR_VALUE, "r(0) = 0", "acf zero data normalized");
        aopt.size = 4;
        expect(ssm_acf(1, 4, zeros, 2, &aopt, acf, NULL), SSM_ERR_VALUE, "size", "acf uninitialized options");
        expect(ssm_toeplitz(2, NULL, acf), SSM_ERR_NULL, "r", "toeplitz NULL r");
        expect(ssm_toeplitz((int64_t)1 << 40, r2, acf), SSM_ERR_SIZE, "R", "toeplitz L·L overflows");
        expect(ssm_toeplitz_matvec(2, r2, 1, xinf, acf), SSM_ERR_VALUE, "v[0, 1]", "toeplitz_matvec Inf");
        expect(ssm_toeplitz_lambda_max(2, r2, 5, 1e-12, 10, &val, NULL, NULL), SSM_ERR_VALUE, "method", "lambda_max bad method");
        expect(ssm_toeplitz_lambda_max(2, r2, SSM_EIGEN_LANCZOS, 0, 10, &val, NULL, NULL), SSM_ERR_VALUE, "tol", "lambda_max tol 0");
        expect(ssm_toeplitz_lambda_max(2, r2, SSM_EIGEN_LANCZOS, 1e-12, 0, &val, NULL, NULL), SSM_ERR_SIZE, "max_iter",
               "lambda_max max_iter 0");
        expect(ssm_toeplitz_lambda_max((int64_t)1 << 40, r2, SSM_EIGEN_LANCZOS, 1e-12, 10, &val, NULL, NULL), SSM_ERR_MEMORY,
               "allocation limit", "lambda_max huge L");
        /* AR(1) with φ = 0.9 at L = 512 needs more than 3 steps: an estimate and SSM_NOT_CONVERGED. */
        double ar[512];
        int64_t its = 0;
        ar[0] = 1;
        for (int k = 1; k < 512; k++) ar[k] = 0.9 * ar[k - 1];
        val = 0;
        expect(ssm_toeplitz_lambda_max(512, ar, SSM_EIGEN_LANCZOS, 1e-12, 3, &val, &its, NULL), SSM_NOT_CONVERGED,
               "max_iter = 3", "lambda_max not converged");
        if (!(its == 3 && val > 1 && val < 19)) {
            fprintf(stderr, "FAIL lambda_max not converged: estimate %g after %lld steps\n", val, (long long)its);
            failures++;
        }
        expect(ssm_long_memory_fit(4, short_acf, 1, 3, &alpha, NULL, NULL, NULL), SSM_ERR_VALUE, "at least 3",
               "long_memory_fit too few lags");
        expect(ssm_long_memory_fit(4, short_acf, 0, 3, &alpha, NULL, NULL, NULL), SSM_ERR_VALUE, "kmin = 0",
               "long_memory_fit kmin 0");
        expect(ssm_long_memory_fit(4, short_acf, 1, 3, NULL, NULL, NULL, NULL), SSM_ERR_NULL, "alpha",
               "long_memory_fit NULL alpha");
    }

    /* Dynamical systems: unknown system and method, NaN x0, dt ≤ 0, steps < 1, wrong parameter
     * count, NULL callback, an aborting callback, a blow-up. */
    {
        double so[12], one = 1, bad = NAN, p2[2] = {1, 2};
        int32_t sc = 0;
        expect(ssm_system_from_name("rossler", &sc), SSM_ERR_VALUE, "lorenz", "unknown system name");
        expect(ssm_system_simulate(42, NULL, 0, NULL, 0, 0.1, 4, SSM_ODE_DOPRI, 1e-10, 1e-12, 0, so), SSM_ERR_VALUE,
               "system", "unknown system");
        expect(ssm_system_simulate(SSM_SYSTEM_LORENZ, NULL, 0, NULL, 0, 0.1, 4, 9, 1e-10, 1e-12, 0, so), SSM_ERR_VALUE,
               "method", "unknown ODE method");
        expect(ssm_system_simulate(SSM_SYSTEM_VAN_DER_POL_1D, NULL, 0, &bad, 0, 0.1, 4, SSM_ODE_DOPRI, 1e-10, 1e-12, 0, so),
               SSM_ERR_VALUE, "x0", "NaN x0");
        expect(ssm_system_simulate(SSM_SYSTEM_LORENZ, NULL, 0, NULL, 0, 0, 4, SSM_ODE_DOPRI, 1e-10, 1e-12, 0, so),
               SSM_ERR_VALUE, "dt", "dt = 0");
        expect(ssm_system_simulate(SSM_SYSTEM_LORENZ, NULL, 0, NULL, 0, 0.1, 0, SSM_ODE_DOPRI, 1e-10, 1e-12, 0, so),
               SSM_ERR_SIZE, "steps", "steps = 0");
        expect(ssm_system_simulate(SSM_SYSTEM_LORENZ, p2, 2, NULL, 0, 0.1, 4, SSM_ODE_DOPRI, 1e-10, 1e-12, 0, so),
               SSM_ERR_SIZE, "3 parameters", "lorenz with 2 parameters");
        expect(ssm_system_simulate(SSM_SYSTEM_LORENZ, NULL, 0, NULL, 0, 0.1, 4, SSM_ODE_DOPRI, -1, 1e-12, 0, so),
               SSM_ERR_VALUE, "rtol", "negative rtol");
        expect(ssm_system_simulate(SSM_SYSTEM_LORENZ, NULL, 0, NULL, 0, 0.1, 4, SSM_ODE_DOPRI, 1e-10, 1e-12, 0, NULL),
               SSM_ERR_NULL, "out", "NULL out");
        expect(ssm_system_dimension(SSM_SYSTEM_LINEAR_ODE, 5, NULL), SSM_ERR_NULL, "d", "dimension NULL d");
        expect(ssm_integrate(1, NULL, NULL, &one, 0, 0.1, 4, SSM_ODE_RK4, 0, 0, so), SSM_ERR_NULL, "f", "NULL f");
        expect(ssm_integrate(1, refuse_rhs, NULL, &one, 0, 0.1, 4, SSM_ODE_DOPRI, 1e-10, 1e-12, so), SSM_ERR_VALUE,
               "returned 7", "aborting callback");
        expect(ssm_integrate(1, square_rhs, NULL, &one, 0, 0.5, 5, SSM_ODE_DOPRI, 1e-10, 1e-12, so), SSM_NOT_CONVERGED,
               "underflow", "blow-up of x' = x^2");
    }

    printf("bad_inputs: %d checks, %d failures\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
