"""ctypes declarations of every function in ``include/ssmkit.h``.

Each function gets ``argtypes`` and ``restype`` here, with its C prototype in a comment above it;
nothing in the package calls a C function that is not declared in this module. Array arguments are
``numpy.ctypeslib.ndpointer`` types (C-contiguous and aligned; outputs also writeable) that also
accept ``None``, which passes NULL: the library itself reports a NULL it does not allow
(``SSM_ERR_NULL``), and the tests rely on being able to pass one.

``lib`` is the loaded library; ``PROTOTYPES`` maps each function name to ``(restype, argtypes)``.
"""

from __future__ import annotations

import ctypes
from ctypes import POINTER, c_char_p, c_double, c_int32, c_int64

import numpy as np
from numpy.ctypeslib import ndpointer

from ._lib import load_library

__all__ = [
    "lib",
    "library_path",
    "PROTOTYPES",
    "ssm_complex_t",
    "ssm_hippo_options_t",
    "ssm_discretize_options_t",
    "ssm_diag_options_t",
    "ssm_acf_options_t",
    "ssm_predictor_options_t",
]

lib, library_path = load_library()

# ---------------------------------------------------------------------------------------------
# Constants (the header's #defines and enums)
# ---------------------------------------------------------------------------------------------

SSM_OK = 0
SSM_ERR_NULL = -1
SSM_ERR_SIZE = -2
SSM_ERR_VALUE = -3
SSM_ERR_UNSUPPORTED = -4
SSM_ERR_MEMORY = -5
SSM_ERR_INTERNAL = -6
SSM_ERR_IO = -7
SSM_NOT_CONVERGED = 1
SSM_SINGULAR = 2
SSM_UNSTABLE = 3

SSM_MEASURE_LEGS, SSM_MEASURE_LEGT, SSM_MEASURE_LMU, SSM_MEASURE_LAGT, SSM_MEASURE_FOUT = range(5)
SSM_CONVENTION_PAPER, SSM_CONVENTION_S4 = 0, 1
(SSM_DIAG_LEGS, SSM_DIAG_LIN, SSM_DIAG_INV, SSM_DIAG_REAL, SSM_DIAG_RANDOM, SSM_DIAG_LRU,
 SSM_DIAG_MAMBA2) = range(7)
SSM_B_ONES, SSM_B_HIPPO, SSM_B_RANDOM = 0, 1, 2
SSM_DT_EXP, SSM_DT_SOFTPLUS = 0, 1
(SSM_METHOD_ZOH, SSM_METHOD_FOH, SSM_METHOD_GBT, SSM_METHOD_BILINEAR, SSM_METHOD_EULER,
 SSM_METHOD_BACKWARD_DIFF, SSM_METHOD_IMPULSE, SSM_METHOD_ZOH_A_EULER_B) = range(8)
SSM_OUTPUT_SCIPY, SSM_OUTPUT_STATE_ONLY = 0, 1
SSM_MODEL_DIAGONAL, SSM_MODEL_DEEP, SSM_MODEL_DENSE = range(3)
SSM_REAL_DIRECT, SSM_REAL_DIRECT_CLAMPED, SSM_REAL_NEG_EXP, SSM_REAL_NEG_SOFTPLUS = range(4)
SSM_POOL_NONE, SSM_POOL_LAST, SSM_POOL_MEAN = range(3)
SSM_LOSS_MSE, SSM_LOSS_CROSS_ENTROPY = 0, 1
SSM_PATH_CONVOLUTION, SSM_PATH_SCAN = 0, 1
SSM_PRECISION_FLOAT64, SSM_PRECISION_FLOAT32 = 0, 1
SSM_OPT_SGD, SSM_OPT_ADAM, SSM_OPT_ADAMW = range(3)
SSM_STOP_COMPLETED, SSM_STOP_CANCELLED, SSM_STOP_NON_FINITE = range(3)
SSM_INPUT_WHITE, SSM_INPUT_AR1, SSM_INPUT_POWER_LAW, SSM_INPUT_CONSTANT = range(4)
SSM_MEMORY_EXPONENTIAL, SSM_MEMORY_POWER_LAW, SSM_MEMORY_DELAY = range(3)
SSM_EIGEN_LANCZOS, SSM_EIGEN_DENSE = 0, 1
SSM_ODE_RK4, SSM_ODE_DOPRI = 0, 1
(SSM_SYSTEM_VAN_DER_POL_1D, SSM_SYSTEM_BERNOULLI, SSM_SYSTEM_FILTERED_NOISE, SSM_SYSTEM_SINE_CUBED, SSM_SYSTEM_LINEAR,
 SSM_SYSTEM_VAN_DER_POL, SSM_SYSTEM_LORENZ, SSM_SYSTEM_LOTKA_VOLTERRA, SSM_SYSTEM_PENDULUM, SSM_SYSTEM_LINEAR_ODE,
 SSM_SYSTEM_SUM_OF_SINES) = range(11)
SSM_PROPHECY_LEGT, SSM_PROPHECY_FOUT, SSM_PROPHECY_LEGS = range(3)
SSM_READOUT_TIME, SSM_READOUT_SPACE = 0, 1
SSM_STATE_INPUT_AVERAGE, SSM_STATE_INPUT_PLAIN = 0, 1
SSM_RULE_EULER, SSM_RULE_TRAPEZOID = 0, 1
SSM_BASELINE_PERSISTENCE, SSM_BASELINE_POLYNOMIAL, SSM_BASELINE_PARROT = range(3)

# ---------------------------------------------------------------------------------------------
# Structs (field order and types exactly as in the header; the size field first)
# ---------------------------------------------------------------------------------------------


class ssm_complex_t(ctypes.Structure):
    """``typedef struct { double re; double im; } ssm_complex_t;`` (layout of complex128)."""

    _fields_ = [("re", c_double), ("im", c_double)]


class ssm_hippo_options_t(ctypes.Structure):
    """``typedef struct { int64_t size; double theta; int32_t convention; } ssm_hippo_options_t;``"""

    _fields_ = [("size", c_int64), ("theta", c_double), ("convention", c_int32)]


class ssm_diag_options_t(ctypes.Structure):
    """``ssm_diag_options_t`` (field order and types exactly as in the header)."""

    _fields_ = [("size", c_int64), ("scheme", c_int32), ("H", c_int64), ("N", c_int64),
                ("override_real", c_int32), ("real_part", c_double), ("real_scale", c_double),
                ("imag_scale", c_double), ("b_init", c_int32), ("normalize", c_int32),
                ("blocks", c_int64), ("seed", ctypes.c_uint64), ("r_min", c_double), ("r_max", c_double),
                ("max_phase", c_double), ("a_min", c_double), ("a_max", c_double)]


class ssm_predictor_options_t(ctypes.Structure):
    """``ssm_predictor_options_t`` (field order and types exactly as in the header)."""

    _fields_ = [("size", c_int64), ("basis", c_int32), ("N", c_int64), ("theta", c_double), ("W", c_int64),
                ("dt", c_double), ("readout", c_int32), ("state_input", c_int32), ("output", c_int32),
                ("method", c_int32)]


class ssm_model_options_t(ctypes.Structure):
    """``ssm_model_options_t`` (field order and types exactly as in the header)."""

    _fields_ = [("size", c_int64), ("kind", c_int32), ("H", c_int64), ("M", c_int64), ("inputs", c_int64),
                ("outputs", c_int64), ("depth", c_int64), ("layer_norm", c_int32), ("pooling", c_int32),
                ("objective", c_int32), ("real_param", c_int32), ("dt_transform", c_int32), ("path", c_int32),
                ("seed", ctypes.c_uint64), ("precision", c_int32)]


class ssm_optimizer_options_t(ctypes.Structure):
    """``ssm_optimizer_options_t`` (field order and types exactly as in the header)."""

    _fields_ = [("size", c_int64), ("rule", c_int32), ("learning_rate", c_double), ("weight_decay", c_double),
                ("ssm_learning_rate", c_double), ("ssm_weight_decay", c_double), ("momentum", c_double),
                ("nesterov", c_int32), ("beta1", c_double), ("beta2", c_double), ("epsilon", c_double),
                ("clip_norm", c_double), ("warmup", c_int64), ("total_steps", c_int64), ("lr_floor", c_double)]


class ssm_progress_t(ctypes.Structure):
    """``ssm_progress_t``: what the progress callback receives after every training step."""

    _fields_ = [("epoch", c_int64), ("step", c_int64), ("total_steps", c_int64), ("loss", c_double),
                ("metric", c_double), ("gradient_norm", c_double), ("learning_rate_factor", c_double),
                ("seconds", c_double)]


#: ``typedef int32_t (*ssm_progress_fn)(const ssm_progress_t *progress, void *user);``
ssm_progress_fn = ctypes.CFUNCTYPE(c_int32, POINTER(ssm_progress_t), ctypes.c_void_p)


class ssm_discretize_options_t(ctypes.Structure):
    """``typedef struct { int64_t size; int32_t method; double alpha; int32_t convention; }
    ssm_discretize_options_t;``"""

    _fields_ = [("size", c_int64), ("method", c_int32), ("alpha", c_double),
                ("convention", c_int32)]


class ssm_acf_options_t(ctypes.Structure):
    """``typedef struct { int64_t size; int32_t biased; int32_t centered; int32_t normalized; }
    ssm_acf_options_t;``"""

    _fields_ = [("size", c_int64), ("biased", c_int32), ("centered", c_int32), ("normalized", c_int32)]


# ---------------------------------------------------------------------------------------------
# Array pointer types
# ---------------------------------------------------------------------------------------------


def _nullable(dtype, flags: str):
    """An ndpointer type for ``dtype``/``flags`` that also accepts ``None`` (passed as NULL).

    An ndarray that already has the dtype and flags goes through a short path (its address as a
    ``c_void_p``: about 2 µs less per array than ndpointer's own conversion, which matters for
    small transforms); anything else gets ndpointer's full check and its error message."""
    base = ndpointer(dtype=dtype, flags=flags)
    wanted, writeable = np.dtype(dtype), "WRITEABLE" in flags

    def from_param(cls, obj):
        if obj is None:
            return None
        if type(obj) is np.ndarray and obj.dtype == wanted:
            f = obj.flags
            if f.c_contiguous and f.aligned and (f.writeable or not writeable):
                return ctypes.c_void_p(obj.ctypes.data)
        return base.from_param(obj)

    return type(f"{base.__name__}_or_NULL", (base,), {"from_param": classmethod(from_param)})


_IN = "C_CONTIGUOUS,ALIGNED"
_OUT = "C_CONTIGUOUS,ALIGNED,WRITEABLE"

#: const double *
f64_in = _nullable(np.float64, _IN)
#: double *
f64_out = _nullable(np.float64, _OUT)
#: const float *
f32_in = _nullable(np.float32, _IN)
#: float *
f32_out = _nullable(np.float32, _OUT)
#: const ssm_complex_t *  (numpy complex128 has the same layout)
c128_in = _nullable(np.complex128, _IN)
#: ssm_complex_t *
c128_out = _nullable(np.complex128, _OUT)

# ---------------------------------------------------------------------------------------------
# Function declarations
# ---------------------------------------------------------------------------------------------

PROTOTYPES: dict[str, tuple[object, list]] = {}


def _declare(name: str, restype, argtypes: list) -> None:
    fn = getattr(lib, name)
    fn.restype = restype
    fn.argtypes = argtypes
    PROTOTYPES[name] = (restype, argtypes)


# --- Versions ---

# int32_t ssm_version_number(void);
_declare("ssm_version_number", c_int32, [])
# const char *ssm_version_string(void);
_declare("ssm_version_string", c_char_p, [])

# --- Status codes and errors ---

# const char *ssm_status_string(int32_t status);
_declare("ssm_status_string", c_char_p, [c_int32])
# const char *ssm_last_error(void);
_declare("ssm_last_error", c_char_p, [])
# int32_t ssm_set_allocation_limit(int64_t bytes);
_declare("ssm_set_allocation_limit", c_int32, [c_int64])
# int64_t ssm_allocation_limit(void);
_declare("ssm_allocation_limit", c_int64, [])

# --- Linear algebra ---

# int32_t ssm_expm(int64_t n, const double *M, double *out);
_declare("ssm_expm", c_int32, [c_int64, f64_in, f64_out])
# int32_t ssm_expm_complex(int64_t n, const ssm_complex_t *M, ssm_complex_t *out);
_declare("ssm_expm_complex", c_int32, [c_int64, c128_in, c128_out])

# int32_t ssm_dplr(int32_t measure, int64_t N, const ssm_hippo_options_t *options, int32_t pairs,
#                  ssm_complex_t *Lambda, ssm_complex_t *P, ssm_complex_t *B, ssm_complex_t *V,
#                  double *error);
_declare("ssm_dplr", c_int32,
         [c_int32, c_int64, POINTER(ssm_hippo_options_t), c_int32, c128_out, c128_out, c128_out, c128_out,
          f64_out])

# --- Diagonal initializations ---

# int32_t ssm_diag_options_default(ssm_diag_options_t *options);
_declare("ssm_diag_options_default", c_int32, [POINTER(ssm_diag_options_t)])
# int32_t ssm_diag_scheme_from_name(const char *name, int32_t *scheme);
_declare("ssm_diag_scheme_from_name", c_int32, [c_char_p, POINTER(c_int32)])
# int32_t ssm_diag_modes(const ssm_diag_options_t *options, int64_t *modes);
_declare("ssm_diag_modes", c_int32, [POINTER(ssm_diag_options_t), POINTER(c_int64)])
# int32_t ssm_diag_init(const ssm_diag_options_t *options, ssm_complex_t *lambda, ssm_complex_t *B,
#                       ssm_complex_t *C, double *gamma);
_declare("ssm_diag_init", c_int32, [POINTER(ssm_diag_options_t), c128_out, c128_out, c128_out, f64_out])

# int32_t ssm_timescales(int64_t count, double dt_min, double dt_max, uint64_t seed, double *dt);
_declare("ssm_timescales", c_int32, [c_int64, c_double, c_double, ctypes.c_uint64, f64_out])
# int32_t ssm_dt_transform(int32_t transform, int32_t inverse, int64_t count, const double *x,
#                          double floor, double *out);
_declare("ssm_dt_transform", c_int32, [c_int32, c_int32, c_int64, f64_in, c_double, f64_out])

# --- Kernels, scans and convolution ---

# int32_t ssm_set_threads(int32_t threads);
_declare("ssm_set_threads", c_int32, [c_int32])
# int32_t ssm_threads(void);
_declare("ssm_threads", c_int32, [])
# int32_t ssm_kernel_diag(int64_t H, int64_t N, int64_t L, const ssm_complex_t *z,
#                         const ssm_complex_t *w, int32_t pairs, double *K);
_declare("ssm_kernel_diag", c_int32, [c_int64, c_int64, c_int64, c128_in, c128_in, c_int32, f64_out])

# int32_t ssm_kernel_dplr(int64_t H, int64_t N, int64_t rank, int64_t L, const ssm_complex_t *Lambda,
#                         const ssm_complex_t *P, const ssm_complex_t *Q, const ssm_complex_t *B,
#                         const ssm_complex_t *C, const double *dt, int32_t pairs, double *K);
_declare("ssm_kernel_dplr", c_int32,
         [c_int64, c_int64, c_int64, c_int64, c128_in, c128_in, c128_in, c128_in, c128_in, f64_in, c_int32, f64_out])

# int32_t ssm_kernel_dense(int64_t N, int64_t m, int64_t p, int64_t L, const double *Ad, const double *Bd,
#                          const double *Cd, double *K);
_declare("ssm_kernel_dense", c_int32, [c_int64, c_int64, c_int64, c_int64, f64_in, f64_in, f64_in, f64_out])
# int32_t ssm_scan_dense(int64_t batch, int64_t N, int64_t m, int64_t p, int64_t L, const double *Ad,
#                        const double *Bd, const double *Cd, const double *Dd, const double *u,
#                        const double *x0, double *y, double *x_final);
_declare("ssm_scan_dense", c_int32,
         [c_int64, c_int64, c_int64, c_int64, c_int64, f64_in, f64_in, f64_in, f64_in, f64_in, f64_in, f64_out,
          f64_out])
# int32_t ssm_scan_diag(int64_t batch, int64_t H, int64_t N, int64_t L, const ssm_complex_t *lambda_bar,
#                       const ssm_complex_t *B_bar, const ssm_complex_t *C, const double *D, int32_t pairs,
#                       const double *u, const ssm_complex_t *x0, double *y, ssm_complex_t *x_final);
_declare("ssm_scan_diag", c_int32,
         [c_int64, c_int64, c_int64, c_int64, c128_in, c128_in, c128_in, f64_in, c_int32, f64_in, c128_in,
          f64_out, c128_out])

# int32_t ssm_convolve(int64_t batch, int64_t H, int64_t L, const double *K, const double *u,
#                      const double *D, double *y);
_declare("ssm_convolve", c_int32, [c_int64, c_int64, c_int64, f64_in, f64_in, f64_in, f64_out])

# int32_t ssm_scan_diag_dt(int64_t batch, int64_t H, int64_t N, int64_t L, int32_t method, double alpha,
#                          const ssm_complex_t *lambda, const ssm_complex_t *B, const ssm_complex_t *C,
#                          const double *D, int32_t pairs, const double *dt, const double *u,
#                          const ssm_complex_t *x0, double *y, ssm_complex_t *x_final);
_declare("ssm_scan_diag_dt", c_int32,
         [c_int64, c_int64, c_int64, c_int64, c_int32, c_double, c128_in, c128_in, c128_in, f64_in, c_int32,
          f64_in, f64_in, c128_in, f64_out, c128_out])

# float32 variants: the sequence-sized arrays are float, parameters and states stay double.
# int32_t ssm_kernel_diag_f32(int64_t H, int64_t N, int64_t L, const ssm_complex_t *z,
#                             const ssm_complex_t *w, int32_t pairs, float *K);
_declare("ssm_kernel_diag_f32", c_int32, [c_int64, c_int64, c_int64, c128_in, c128_in, c_int32, f32_out])
# int32_t ssm_scan_diag_f32(int64_t batch, int64_t H, int64_t N, int64_t L, const ssm_complex_t *lambda_bar,
#                           const ssm_complex_t *B_bar, const ssm_complex_t *C, const double *D, int32_t pairs,
#                           const float *u, const ssm_complex_t *x0, float *y, ssm_complex_t *x_final);
_declare("ssm_scan_diag_f32", c_int32,
         [c_int64, c_int64, c_int64, c_int64, c128_in, c128_in, c128_in, f64_in, c_int32, f32_in, c128_in,
          f32_out, c128_out])
# int32_t ssm_scan_diag_dt_f32(int64_t batch, int64_t H, int64_t N, int64_t L, int32_t method, double alpha,
#                              const ssm_complex_t *lambda, const ssm_complex_t *B, const ssm_complex_t *C,
#                              const double *D, int32_t pairs, const float *dt, const float *u,
#                              const ssm_complex_t *x0, float *y, ssm_complex_t *x_final);
_declare("ssm_scan_diag_dt_f32", c_int32,
         [c_int64, c_int64, c_int64, c_int64, c_int32, c_double, c128_in, c128_in, c128_in, f64_in, c_int32,
          f32_in, f32_in, c128_in, f32_out, c128_out])
# int32_t ssm_convolve_f32(int64_t batch, int64_t H, int64_t L, const float *K, const float *u,
#                          const double *D, float *y);
_declare("ssm_convolve_f32", c_int32, [c_int64, c_int64, c_int64, f32_in, f32_in, f64_in, f32_out])

# --- Fourier transforms ---

# int32_t ssm_fft(int64_t count, int64_t n, const ssm_complex_t *x, ssm_complex_t *out);
_declare("ssm_fft", c_int32, [c_int64, c_int64, c128_in, c128_out])
# int32_t ssm_ifft(int64_t count, int64_t n, const ssm_complex_t *x, ssm_complex_t *out);
_declare("ssm_ifft", c_int32, [c_int64, c_int64, c128_in, c128_out])
# int32_t ssm_rfft(int64_t count, int64_t n, const double *x, ssm_complex_t *out);
_declare("ssm_rfft", c_int32, [c_int64, c_int64, f64_in, c128_out])
# int32_t ssm_irfft(int64_t count, int64_t n, const ssm_complex_t *x, double *out);
_declare("ssm_irfft", c_int32, [c_int64, c_int64, c128_in, f64_out])

# --- HiPPO matrices ---

# int32_t ssm_hippo_options_default(ssm_hippo_options_t *options);
_declare("ssm_hippo_options_default", c_int32, [POINTER(ssm_hippo_options_t)])
# int32_t ssm_measure_from_name(const char *name, int32_t *measure);
_declare("ssm_measure_from_name", c_int32, [c_char_p, POINTER(c_int32)])
# int32_t ssm_hippo(int32_t measure, int64_t N, const ssm_hippo_options_t *options, double *A,
#                   double *B);
_declare("ssm_hippo", c_int32,
         [c_int32, c_int64, POINTER(ssm_hippo_options_t), f64_out, f64_out])
# int32_t ssm_hippo_rank(int32_t measure, int64_t *rank);
_declare("ssm_hippo_rank", c_int32, [c_int32, POINTER(c_int64)])
# int32_t ssm_hippo_rank_correction(int32_t measure, int64_t N,
#                                   const ssm_hippo_options_t *options, double *P);
_declare("ssm_hippo_rank_correction", c_int32,
         [c_int32, c_int64, POINTER(ssm_hippo_options_t), f64_out])

# --- Discretization ---

# int32_t ssm_discretize_options_default(ssm_discretize_options_t *options);
_declare("ssm_discretize_options_default", c_int32, [POINTER(ssm_discretize_options_t)])
# int32_t ssm_method_from_name(const char *name, int32_t *method);
_declare("ssm_method_from_name", c_int32, [c_char_p, POINTER(c_int32)])
# int32_t ssm_discretize(int64_t n, int64_t m, int64_t p, const double *A, const double *B,
#                        const double *C, const double *D, double dt,
#                        const ssm_discretize_options_t *options, double *Ad, double *Bd,
#                        double *Cd, double *Dd);
_declare("ssm_discretize", c_int32,
         [c_int64, c_int64, c_int64, f64_in, f64_in, f64_in, f64_in, c_double,
          POINTER(ssm_discretize_options_t), f64_out, f64_out, f64_out, f64_out])
# int32_t ssm_discretize_diag(int32_t method, int64_t H, int64_t N, const ssm_complex_t *lambda,
#                             const ssm_complex_t *B, const double *dt, int64_t dt_count,
#                             double alpha, ssm_complex_t *lambda_bar, ssm_complex_t *B_bar);
_declare("ssm_discretize_diag", c_int32,
         [c_int32, c_int64, c_int64, c128_in, c128_in, f64_in, c_int64, c_double,
          c128_out, c128_out])


# --- Training ---

#: the opaque handles (ssm_model_t *, ssm_optimizer_t *, ssm_trainer_t *)
model_p = optimizer_p = trainer_p = ctypes.c_void_p
#: const int64_t * (labels)
i64_in = _nullable(np.int64, _IN)
#: int64_t * (labels out)
i64_out = _nullable(np.int64, _OUT)

# int32_t ssm_model_options_default(ssm_model_options_t *options);
_declare("ssm_model_options_default", c_int32, [POINTER(ssm_model_options_t)])
# int32_t ssm_model_create(const ssm_model_options_t *options, ssm_model_t **model);
_declare("ssm_model_create", c_int32, [POINTER(ssm_model_options_t), POINTER(model_p)])
# int32_t ssm_model_create_dense(int64_t N, int64_t m, int64_t p, const double *Ad, const double *Bd,
#                                const double *Cd, const double *Dd, int32_t train_dynamics, ssm_model_t **model);
_declare("ssm_model_create_dense", c_int32,
         [c_int64, c_int64, c_int64, f64_in, f64_in, f64_in, f64_in, c_int32, POINTER(model_p)])
# void ssm_model_free(ssm_model_t *model);
_declare("ssm_model_free", None, [model_p])
# int32_t ssm_model_set_ssm(ssm_model_t *model, int64_t block, const ssm_complex_t *Lambda, const ssm_complex_t *B,
#                           const ssm_complex_t *C, const double *D, const double *dt);
_declare("ssm_model_set_ssm", c_int32, [model_p, c_int64, c128_in, c128_in, c128_in, f64_in, f64_in])
# int32_t ssm_model_parameter_count(const ssm_model_t *model, int64_t *count);
_declare("ssm_model_parameter_count", c_int32, [model_p, POINTER(c_int64)])
# int32_t ssm_model_get_parameters(const ssm_model_t *model, int64_t count, double *values);
_declare("ssm_model_get_parameters", c_int32, [model_p, c_int64, f64_out])
# int32_t ssm_model_set_parameters(ssm_model_t *model, int64_t count, const double *values);
_declare("ssm_model_set_parameters", c_int32, [model_p, c_int64, f64_in])
# int32_t ssm_model_shapes(const ssm_model_t *model, int64_t L, int64_t *input_size, int64_t *output_size);
_declare("ssm_model_shapes", c_int32, [model_p, c_int64, POINTER(c_int64), POINTER(c_int64)])
# int32_t ssm_model_forward(const ssm_model_t *model, int64_t batch, int64_t L, const double *u, double *y);
_declare("ssm_model_forward", c_int32, [model_p, c_int64, c_int64, f64_in, f64_out])
# int32_t ssm_model_loss_gradient(const ssm_model_t *model, int64_t batch, int64_t L, const double *u,
#                                 const double *targets, const double *mask, const int64_t *labels,
#                                 double *loss, double *metric, double *gradient);
_declare("ssm_model_loss_gradient", c_int32,
         [model_p, c_int64, c_int64, f64_in, f64_in, f64_in, i64_in, POINTER(c_double), POINTER(c_double), f64_out])
# int32_t ssm_optimizer_options_default(ssm_optimizer_options_t *options);
_declare("ssm_optimizer_options_default", c_int32, [POINTER(ssm_optimizer_options_t)])
# int32_t ssm_optimizer_create(const ssm_model_t *model, const ssm_optimizer_options_t *options,
#                              ssm_optimizer_t **optimizer);
_declare("ssm_optimizer_create", c_int32, [model_p, POINTER(ssm_optimizer_options_t), POINTER(optimizer_p)])
# void ssm_optimizer_free(ssm_optimizer_t *optimizer);
_declare("ssm_optimizer_free", None, [optimizer_p])
# int32_t ssm_optimizer_step(ssm_optimizer_t *optimizer, ssm_model_t *model, int64_t count, const double *gradient,
#                            double *gradient_norm);
_declare("ssm_optimizer_step", c_int32, [optimizer_p, model_p, c_int64, f64_in, POINTER(c_double)])
# int32_t ssm_optimizer_steps(const ssm_optimizer_t *optimizer, int64_t *steps);
_declare("ssm_optimizer_steps", c_int32, [optimizer_p, POINTER(c_int64)])
# int32_t ssm_trainer_create(ssm_model_t *model, ssm_optimizer_t *optimizer, int64_t count, int64_t L,
#                            const double *inputs, const double *targets, const double *mask, const int64_t *labels,
#                            int64_t batch_size, uint64_t seed, ssm_trainer_t **trainer);
_declare("ssm_trainer_create", c_int32,
         [model_p, optimizer_p, c_int64, c_int64, f64_in, f64_in, f64_in, i64_in, c_int64, ctypes.c_uint64,
          POINTER(trainer_p)])
# void ssm_trainer_free(ssm_trainer_t *trainer);
_declare("ssm_trainer_free", None, [trainer_p])
# int32_t ssm_trainer_run(ssm_trainer_t *trainer, int64_t epochs, ssm_progress_fn progress, void *user,
#                         int32_t *stop);
_declare("ssm_trainer_run", c_int32, [trainer_p, c_int64, ssm_progress_fn, ctypes.c_void_p, POINTER(c_int32)])
# int32_t ssm_trainer_history(const ssm_trainer_t *trainer, int64_t *steps, double *losses, double *metrics);
_declare("ssm_trainer_history", c_int32, [trainer_p, POINTER(c_int64), f64_out, f64_out])
# const char *ssm_trainer_message(const ssm_trainer_t *trainer);
_declare("ssm_trainer_message", c_char_p, [trainer_p])


# int32_t ssm_checkpoint_save(const ssm_model_t *model, const ssm_optimizer_t *optimizer, const char *path);
_declare("ssm_checkpoint_save", c_int32, [model_p, optimizer_p, c_char_p])
# int32_t ssm_checkpoint_load(ssm_model_t *model, ssm_optimizer_t *optimizer, const char *path);
_declare("ssm_checkpoint_load", c_int32, [model_p, optimizer_p, c_char_p])


# --- Tasks and data ---

# int32_t ssm_input_generate(int32_t process, double parameter, int64_t count, int64_t L, uint64_t seed, double *x);
_declare("ssm_input_generate", c_int32, [c_int32, c_double, c_int64, c_int64, ctypes.c_uint64, f64_out])
# int32_t ssm_input_autocorrelation(int32_t process, double parameter, int64_t lags, double *rho);
_declare("ssm_input_autocorrelation", c_int32, [c_int32, c_double, c_int64, f64_out])
# int32_t ssm_memory_weights(int32_t kernel, double parameter, int32_t normalized, int64_t L, double *weights);
_declare("ssm_memory_weights", c_int32, [c_int32, c_double, c_int32, c_int64, f64_out])
# int32_t ssm_memory_target(int32_t kernel, double parameter, int32_t normalized, int64_t count, int64_t L,
#                           const double *x, double *y);
_declare("ssm_memory_target", c_int32, [c_int32, c_double, c_int32, c_int64, c_int64, f64_in, f64_out])
# int32_t ssm_delayed_recall(int64_t count, int64_t L, int64_t length, int64_t delay, uint64_t seed, double *inputs,
#                            double *targets, double *mask);
_declare("ssm_delayed_recall", c_int32,
         [c_int64, c_int64, c_int64, c_int64, ctypes.c_uint64, f64_out, f64_out, f64_out])
# int32_t ssm_sinusoid_task(int64_t count, int64_t L, int64_t classes, int64_t first, int64_t spacing, double jitter,
#                           double snr, uint64_t seed, double *inputs, int64_t *labels);
_declare("ssm_sinusoid_task", c_int32,
         [c_int64, c_int64, c_int64, c_int64, c_int64, c_double, c_double, ctypes.c_uint64, f64_out, i64_out])


# --- Dynamical systems ---

#: ``typedef int32_t (*ssm_rhs_fn)(double t, const double *x, double *dx, void *user);``
ssm_rhs_fn = ctypes.CFUNCTYPE(c_int32, c_double, POINTER(c_double), POINTER(c_double), ctypes.c_void_p)

# int32_t ssm_system_from_name(const char *name, int32_t *system);
_declare("ssm_system_from_name", c_int32, [c_char_p, POINTER(c_int32)])
# int32_t ssm_system_dimension(int32_t system, int64_t nparams, int64_t *d);
_declare("ssm_system_dimension", c_int32, [c_int32, c_int64, POINTER(c_int64)])
# int32_t ssm_system_defaults(int32_t system, int64_t *nparams, double *params, double *x0);
_declare("ssm_system_defaults", c_int32, [c_int32, POINTER(c_int64), f64_out, f64_out])
# int32_t ssm_system_simulate(int32_t system, const double *params, int64_t nparams, const double *x0, double t0,
#                             double dt, int64_t steps, int32_t method, double rtol, double atol, uint64_t seed,
#                             double *out);
_declare("ssm_system_simulate", c_int32,
         [c_int32, f64_in, c_int64, f64_in, c_double, c_double, c_int64, c_int32, c_double, c_double, ctypes.c_uint64,
          f64_out])
# int32_t ssm_integrate(int64_t d, ssm_rhs_fn f, void *user, const double *x0, double t0, double dt, int64_t steps,
#                       int32_t method, double rtol, double atol, double *out);
_declare("ssm_integrate", c_int32,
         [c_int64, ssm_rhs_fn, ctypes.c_void_p, f64_in, c_double, c_double, c_int64, c_int32, c_double, c_double,
          f64_out])

# --- HiPPO-Prophecy ---

#: the opaque handle ssm_predictor_t *
predictor_p = ctypes.c_void_p

# int32_t ssm_predictor_options_default(ssm_predictor_options_t *options);
_declare("ssm_predictor_options_default", c_int32, [POINTER(ssm_predictor_options_t)])
# int32_t ssm_predictor_options_authors(int64_t N, int64_t T, double dt, ssm_predictor_options_t *options);
_declare("ssm_predictor_options_authors", c_int32, [c_int64, c_int64, c_double, POINTER(ssm_predictor_options_t)])
# int32_t ssm_predictor_create(const ssm_predictor_options_t *options, int64_t d, ssm_predictor_t **predictor);
_declare("ssm_predictor_create", c_int32, [POINTER(ssm_predictor_options_t), c_int64, POINTER(predictor_p)])
# void ssm_predictor_free(ssm_predictor_t *predictor);
_declare("ssm_predictor_free", None, [predictor_p])
# int32_t ssm_predictor_predict(const ssm_predictor_t *predictor, int64_t batch, int64_t T, int64_t d,
#                               const double *u, double *pred);
_declare("ssm_predictor_predict", c_int32, [predictor_p, c_int64, c_int64, c_int64, f64_in, f64_out])
# int32_t ssm_predictor_step(ssm_predictor_t *predictor, const double *x, double *next);
_declare("ssm_predictor_step", c_int32, [predictor_p, f64_in, f64_out])
# int32_t ssm_predictor_reset(ssm_predictor_t *predictor);
_declare("ssm_predictor_reset", c_int32, [predictor_p])
# int32_t ssm_predictor_state_size(const ssm_predictor_t *predictor, int64_t *n);
_declare("ssm_predictor_state_size", c_int32, [predictor_p, POINTER(c_int64)])
# int32_t ssm_predictor_ssm(const ssm_predictor_t *predictor, double *Ad, double *Bd, double *Cd, double *Dd);
_declare("ssm_predictor_ssm", c_int32, [predictor_p, f64_out, f64_out, f64_out, f64_out])
# int32_t ssm_predictor_rollout(const ssm_predictor_t *predictor, int64_t T, int64_t d, const double *context,
#                               int64_t steps, double *out);
_declare("ssm_predictor_rollout", c_int32, [predictor_p, c_int64, c_int64, f64_in, c_int64, f64_out])
# int32_t ssm_predictor_rollout_radius(const ssm_predictor_t *predictor, double *radius);
_declare("ssm_predictor_rollout_radius", c_int32, [predictor_p, POINTER(c_double)])
# int32_t ssm_baseline_predict(int32_t method, int64_t parameter, int64_t batch, int64_t T, int64_t d, const double *u,
#                              double *pred);
_declare("ssm_baseline_predict", c_int32, [c_int32, c_int64, c_int64, c_int64, c_int64, f64_in, f64_out])


# --- Autocorrelation: estimators ---

# int32_t ssm_acf_options_default(ssm_acf_options_t *options);
_declare("ssm_acf_options_default", c_int32, [POINTER(ssm_acf_options_t)])
# int32_t ssm_acf(int64_t count, int64_t L, const double *x, int64_t lags, const ssm_acf_options_t *options,
#                 double *acf, int64_t *pairs);
_declare("ssm_acf", c_int32, [c_int64, c_int64, f64_in, c_int64, POINTER(ssm_acf_options_t), f64_out, i64_out])
# int32_t ssm_toeplitz(int64_t L, const double *r, double *R);
_declare("ssm_toeplitz", c_int32, [c_int64, f64_in, f64_out])
# int32_t ssm_toeplitz_matvec(int64_t L, const double *r, int64_t count, const double *v, double *out);
_declare("ssm_toeplitz_matvec", c_int32, [c_int64, f64_in, c_int64, f64_in, f64_out])
# int32_t ssm_toeplitz_lambda_max(int64_t L, const double *r, int32_t method, double tol, int64_t max_iter,
#                                 double *value, int64_t *iterations, double *residual);
_declare("ssm_toeplitz_lambda_max", c_int32,
         [c_int64, f64_in, c_int32, c_double, c_int64, POINTER(c_double), POINTER(c_int64), POINTER(c_double)])
# int32_t ssm_long_memory_fit(int64_t lags, const double *acf, int64_t kmin, int64_t kmax, double *alpha,
#                             double *c, int64_t *used, double *r_squared);
_declare("ssm_long_memory_fit", c_int32,
         [c_int64, f64_in, c_int64, c_int64, POINTER(c_double), POINTER(c_double), POINTER(c_int64), POINTER(c_double)])

# --- Autocorrelation: theory ---

# int32_t ssm_output_weights(int64_t N, const ssm_complex_t *w, const ssm_complex_t *B, const ssm_complex_t *c,
#                            double dt, int64_t L, double *rho);
_declare("ssm_output_weights", c_int32, [c_int64, c128_in, c128_in, c128_in, c_double, c_int64, f64_out])
# int32_t ssm_output_power(int64_t N, const ssm_complex_t *w, const ssm_complex_t *B, const ssm_complex_t *c,
#                          double dt, int64_t L, const double *r, double *power);
_declare("ssm_output_power", c_int32,
         [c_int64, c128_in, c128_in, c128_in, c_double, c_int64, f64_in, POINTER(c_double)])
# int32_t ssm_expected_output_power(int64_t N, const ssm_complex_t *w, const ssm_complex_t *B, double dt, int64_t L,
#                                   const double *r, double *power);
_declare("ssm_expected_output_power", c_int32,
         [c_int64, c128_in, c128_in, c_double, c_int64, f64_in, POINTER(c_double)])
# int32_t ssm_output_power_bound(int64_t N, const ssm_complex_t *w, const ssm_complex_t *B, const ssm_complex_t *c,
#                                double dt, int64_t L, double lambda_max, double *bound);
_declare("ssm_output_power_bound", c_int32,
         [c_int64, c128_in, c128_in, c128_in, c_double, c_int64, c_double, POINTER(c_double)])
# int32_t ssm_critical_timescale(int64_t N, const ssm_complex_t *w, const ssm_complex_t *B, int64_t L, const double *r,
#                                double target, double dt_min, double dt_max, double *dt, int64_t *iterations,
#                                int64_t *evaluations);
_declare("ssm_critical_timescale", c_int32,
         [c_int64, c128_in, c128_in, c_int64, f64_in, c_double, c_double, c_double, POINTER(c_double),
          POINTER(c_int64), POINTER(c_int64)])
# int32_t ssm_timescale_rule(int64_t L, double lambda_max, double kappa, double *dt);
_declare("ssm_timescale_rule", c_int32, [c_int64, c_double, c_double, POINTER(c_double)])
# int32_t ssm_memory_weight(int64_t N, const double *a, double dt, int64_t L, double *weight);
_declare("ssm_memory_weight", c_int32, [c_int64, f64_in, c_double, c_int64, f64_out])
# int32_t ssm_gram_continuous(int64_t N, const ssm_complex_t *w, double *G);
_declare("ssm_gram_continuous", c_int32, [c_int64, c128_in, f64_out])
# int32_t ssm_gram_discrete(int64_t N, const ssm_complex_t *w, double dt, int64_t L, double *G);
_declare("ssm_gram_discrete", c_int32, [c_int64, c128_in, c_double, c_int64, f64_out])
# int32_t ssm_condition_number(int64_t n, const double *G, double *kappa);
_declare("ssm_condition_number", c_int32, [c_int64, f64_in, POINTER(c_double)])
# int32_t ssm_approximation_error(int64_t N, const ssm_complex_t *w, double dt, int64_t L, const double *target,
#                                 double rcond, double *error);
_declare("ssm_approximation_error", c_int32, [c_int64, c128_in, c_double, c_int64, f64_in, c_double, POINTER(c_double)])


def last_error() -> str:
    """``ssm_last_error()`` decoded (the calling thread's last failure message)."""
    raw = lib.ssm_last_error()
    return raw.decode("utf-8", "replace") if raw else ""


def status_string(code: int) -> str:
    """``ssm_status_string(code)`` decoded."""
    raw = lib.ssm_status_string(int(code))
    return raw.decode("utf-8", "replace") if raw else "unknown status"
