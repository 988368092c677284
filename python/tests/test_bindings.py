"""The ctypes layer: every header function declared with matching types, struct layouts, NULL
handling of the raw C functions, versions, status strings, per-thread errors, library lookup."""

import ctypes
import os
import re
import subprocess
import sys
import threading

import numpy as np
import pytest

import ssmkit
from ssmkit import _bindings as b
from ssmkit import _lib

from conftest import HEADER, PYTHON_DIR

HEADER_TEXT = open(HEADER).read()

# "int32_t ssm_expm(int64_t n, const double *M, double *out);" and friends.
_PROTO = re.compile(r"^\s*((?:const\s+)?\w+\s*\*?)\s*(ssm_\w+)\s*\(([^;]*?)\)\s*;",
                    re.MULTILINE | re.DOTALL)
_SCALARS = {"int32_t": ctypes.c_int32, "int64_t": ctypes.c_int64, "uint64_t": ctypes.c_uint64,
            "double": ctypes.c_double, "void": None, "ssm_progress_fn": b.ssm_progress_fn,
            "ssm_rhs_fn": b.ssm_rhs_fn}


def header_prototypes():
    protos = {}
    for ret, name, params in _PROTO.findall(re.sub(r"/\*.*?\*/", "", HEADER_TEXT, flags=re.S)):
        params = " ".join(params.split())
        plist = [] if params in ("void", "") else [p.strip() for p in params.split(",")]
        protos[name] = (" ".join(ret.split()), plist)
    return protos


HEADER_PROTOS = header_prototypes()


def test_header_parsed():
    # Guard against a regex that silently finds nothing.
    assert len(HEADER_PROTOS) >= 17
    assert "ssm_discretize_diag" in HEADER_PROTOS


def test_every_header_function_is_declared_with_matching_types():
    assert set(HEADER_PROTOS) == set(b.PROTOTYPES)
    for name, (ret, params) in HEADER_PROTOS.items():
        restype, argtypes = b.PROTOTYPES[name]
        fn = getattr(b.lib, name)
        assert fn.restype is restype and list(fn.argtypes) == list(argtypes), name
        if ret.endswith("*"):
            assert restype is ctypes.c_char_p, name  # the only pointers returned are strings
        else:
            assert restype is _SCALARS[ret], name
        assert len(argtypes) == len(params), name
        for param, argtype in zip(params, argtypes):
            ctype = param.rsplit(" ", 1)[0].replace(" *", "*").strip()
            if "*" in param:
                assert argtype not in _SCALARS.values(), (name, param)
                base = ctype.replace("const ", "").rstrip("*").strip()
                if not hasattr(argtype, "_dtype_"):
                    # A pointer to one scalar or struct (an output or options), or an opaque handle.
                    if base in _SCALARS and base != "void":
                        assert argtype._type_ is _SCALARS[base], (name, param)
                    elif base.endswith("_options_t") or base == "ssm_progress_t":
                        assert argtype._type_ is getattr(b, base), (name, param)
                    else:
                        assert base in ("void", "char", "ssm_model_t", "ssm_optimizer_t", "ssm_trainer_t",
                                        "ssm_predictor_t"), (name, param)
                    continue
                dtypes = {"ssm_complex_t": np.complex128, "double": np.float64, "float": np.float32, "int64_t": np.int64}
                assert np.dtype(argtype._dtype_) == dtypes[base], (name, param)
                writeable = bool(argtype._flags_ & 0x0400)  # NPY_ARRAY_WRITEABLE
                assert writeable == (not param.startswith("const")), (name, param)
            else:
                assert argtype is _SCALARS[ctype], (name, param)


def test_struct_layouts_match_header():
    assert ctypes.sizeof(b.ssm_complex_t) == 16 == np.dtype(np.complex128).itemsize
    h = b.ssm_hippo_options_t
    assert [f for f, _ in h._fields_] == ["size", "theta", "convention"]
    assert (h.size.offset, h.theta.offset, h.convention.offset, ctypes.sizeof(h)) == (0, 8, 16, 24)
    d = b.ssm_discretize_options_t
    assert [f for f, _ in d._fields_] == ["size", "method", "alpha", "convention"]
    assert (d.size.offset, d.method.offset, d.alpha.offset, d.convention.offset,
            ctypes.sizeof(d)) == (0, 8, 16, 24, 32)
    m = b.ssm_model_options_t
    assert [getattr(m, f).offset for f, _ in m._fields_] == [0, 8, 16, 24, 32, 40, 48, 56, 60, 64, 68, 72, 76, 80, 88]
    assert ctypes.sizeof(m) == 96
    o = b.ssm_optimizer_options_t
    assert [getattr(o, f).offset for f, _ in o._fields_] == [0, 8, 16, 24, 32, 40, 48, 56, 64, 72, 80, 88, 96, 104, 112]
    assert ctypes.sizeof(o) == 120
    assert ctypes.sizeof(b.ssm_progress_t) == 64
    mo, oo = m(), o()
    assert b.lib.ssm_model_options_default(ctypes.byref(mo)) == 0 and mo.size == 96
    assert b.lib.ssm_optimizer_options_default(ctypes.byref(oo)) == 0 and oo.size == 120
    g = b.ssm_diag_options_t
    offsets = [getattr(g, f).offset for f, _ in g._fields_]
    assert offsets == [0, 8, 16, 24, 32, 40, 48, 56, 64, 68, 72, 80, 88, 96, 104, 112, 120]
    assert ctypes.sizeof(g) == 128
    # The library's own sizeof (from the header, as compiled into it) agrees.
    o = g()
    assert b.lib.ssm_diag_options_default(ctypes.byref(o)) == 0 and o.size == 128
    q = b.ssm_predictor_options_t
    assert [getattr(q, f).offset for f, _ in q._fields_] == [0, 8, 16, 24, 32, 40, 48, 52, 56, 60]
    assert ctypes.sizeof(q) == 64
    qo = q()
    assert b.lib.ssm_predictor_options_default(ctypes.byref(qo)) == 0 and qo.size == 64


def test_options_defaults():
    h = b.ssm_hippo_options_t()
    assert b.lib.ssm_hippo_options_default(ctypes.byref(h)) == 0
    # The header: size = sizeof(ssm_hippo_options_t).
    assert (h.size, h.theta, h.convention) == (ctypes.sizeof(h), 1.0, b.SSM_CONVENTION_PAPER)
    d = b.ssm_discretize_options_t()
    assert b.lib.ssm_discretize_options_default(ctypes.byref(d)) == 0
    assert (d.size, d.method, d.alpha, d.convention) == (
        ctypes.sizeof(d), b.SSM_METHOD_ZOH, 0.5, b.SSM_OUTPUT_SCIPY)


def test_uninitialized_options_are_rejected():
    h = b.ssm_hippo_options_t()  # size 0: never passed through ssm_hippo_options_default
    A, B = np.empty((3, 3)), np.empty(3)
    assert b.lib.ssm_hippo(b.SSM_MEASURE_LEGS, 3, ctypes.byref(h), A, B) == b.SSM_ERR_VALUE
    assert "options" in b.last_error()


def test_versions():
    number = b.lib.ssm_version_number()
    major, minor, patch = number // 10000, number // 100 % 100, number % 100
    assert ssmkit.library_version() == f"{major}.{minor}.{patch}"
    assert major == int(ssmkit.__version__.split(".")[0]) == 0
    assert ssmkit.version() == ssmkit.__version__
    defines = {k: int(v) for k, v in re.findall(r"#define SSM_VERSION_(MAJOR|MINOR|PATCH) (\d+)",
                                                 HEADER_TEXT)}
    assert (defines["MAJOR"], defines["MINOR"], defines["PATCH"]) == (major, minor, patch)
    assert os.path.exists(ssmkit.library_path())


def test_status_strings():
    names = {0: "SSM_OK", -1: "SSM_ERR_NULL", -2: "SSM_ERR_SIZE", -3: "SSM_ERR_VALUE",
             -4: "SSM_ERR_UNSUPPORTED", -5: "SSM_ERR_MEMORY", -6: "SSM_ERR_INTERNAL", -7: "SSM_ERR_IO",
             1: "SSM_NOT_CONVERGED", 2: "SSM_SINGULAR", 3: "SSM_UNSTABLE"}
    for code, name in names.items():
        assert b.status_string(code).startswith(name), code
        # The constants in _bindings agree with the header's #defines.
        assert getattr(b, name) == code
        assert re.search(rf"#define {name} \(?{code}\)?", HEADER_TEXT), name
    assert b.status_string(12345) == "unknown status"


def test_enum_values_match_header():
    for name, value in re.findall(r"\b(SSM_(?:MEASURE|CONVENTION|METHOD|OUTPUT|PROPHECY|READOUT|STATE_INPUT|RULE|BASELINE)_\w+) = (\d+)",
                                  HEADER_TEXT):
        assert getattr(b, name) == int(value), name


def _raw_calls():
    """(function, args builder, index of each pointer argument that must not be NULL)."""
    n = 3
    A, B, C, D = np.eye(n) * -1.0, np.ones((n, 1)), np.ones((1, n)), np.zeros((1, 1))
    lam = np.full(4, -1 + 1j)
    hopt, dopt = b.ssm_hippo_options_t(), b.ssm_discretize_options_t()
    b.lib.ssm_hippo_options_default(ctypes.byref(hopt))
    b.lib.ssm_discretize_options_default(ctypes.byref(dopt))
    i32, i64 = ctypes.c_int32(), ctypes.c_int64()
    return [
        ("ssm_expm", [n, A, np.empty((n, n))], [1, 2]),
        ("ssm_expm_complex", [n, A.astype(complex), np.empty((n, n), complex)], [1, 2]),
        ("ssm_hippo_options_default", [ctypes.byref(hopt)], [0]),
        ("ssm_measure_from_name", [b"legs", ctypes.byref(i32)], [0, 1]),
        ("ssm_hippo", [0, n, ctypes.byref(hopt), np.empty((n, n)), np.empty(n)], [3, 4]),
        ("ssm_hippo_rank", [0, ctypes.byref(i64)], [1]),
        ("ssm_hippo_rank_correction", [0, n, ctypes.byref(hopt), np.empty((1, n))], [3]),
        ("ssm_discretize_options_default", [ctypes.byref(dopt)], [0]),
        ("ssm_method_from_name", [b"zoh", ctypes.byref(i32)], [0, 1]),
        ("ssm_discretize", [n, 1, 1, A, B, C, D, 0.1, ctypes.byref(dopt), np.empty((n, n)),
                            np.empty((n, 1)), np.empty((1, n)), np.empty((1, 1))],
         [3, 4, 5, 6, 9, 10, 11, 12]),
        ("ssm_discretize_diag", [0, 1, 4, lam, lam, np.array([0.1]), 1, 0.5,
                                 np.empty(4, complex), np.empty(4, complex)], [3, 5, 8, 9]),
    ]


@pytest.mark.parametrize("name,args,pointers", _raw_calls(), ids=[c[0] for c in _raw_calls()])
def test_raw_null_pointers_return_err_null(name, args, pointers):
    fn = getattr(b.lib, name)
    assert fn(*args) == b.SSM_OK, b.last_error()
    for index in pointers:
        bad = list(args)
        bad[index] = None
        assert fn(*bad) == b.SSM_ERR_NULL, (name, index)
        assert "NULL" in b.last_error() and name in b.last_error()


def test_raw_optional_nulls_are_accepted():
    n = 3
    A, B = -np.eye(n), np.ones((n, 2))
    Ad, Bd = np.empty((n, n)), np.empty((n, 2))
    # options NULL = defaults
    assert b.lib.ssm_hippo(0, n, None, np.empty((n, n)), np.empty(n)) == 0
    assert b.lib.ssm_hippo_rank_correction(0, n, None, np.empty((1, n))) == 0
    # p = 0: C, D, Cd, Dd may be NULL
    assert b.lib.ssm_discretize(n, 2, 0, A, B, None, None, 0.1, None, Ad, Bd, None, None) == 0
    # p > 0 needs them
    assert b.lib.ssm_discretize(n, 2, 1, A, B, None, None, 0.1, None, Ad, Bd, None,
                                None) == b.SSM_ERR_NULL
    lam = np.array([-1 + 2j, -0.5 + 0j])
    out, bout = np.empty(2, complex), np.empty(2, complex)
    # B NULL (b = 1), B_bar NULL too
    assert b.lib.ssm_discretize_diag(0, 1, 2, lam, None, np.array([0.1]), 1, 0.5, out,
                                     None) == 0
    # B NULL with B_bar given: B_bar is filled for b = 1
    assert b.lib.ssm_discretize_diag(0, 1, 2, lam, None, np.array([0.1]), 1, 0.5, out,
                                     bout) == 0
    ref_out, ref_b = np.empty(2, complex), np.empty(2, complex)
    assert b.lib.ssm_discretize_diag(0, 1, 2, lam, np.ones(2, complex), np.array([0.1]), 1, 0.5,
                                     ref_out, ref_b) == 0
    assert np.array_equal(bout, ref_b) and np.array_equal(out, ref_out)
    # B given, B_bar NULL: not allowed
    assert b.lib.ssm_discretize_diag(0, 1, 2, lam, lam, np.array([0.1]), 1, 0.5, out,
                                     None) == b.SSM_ERR_NULL


def test_ndpointer_types_reject_wrong_arrays():
    n = 3
    with pytest.raises(ctypes.ArgumentError):  # float32 where double* is declared
        b.lib.ssm_expm(n, np.eye(n, dtype=np.float32), np.empty((n, n)))
    with pytest.raises(ctypes.ArgumentError):  # not C-contiguous
        b.lib.ssm_expm(n, np.eye(2 * n)[::2, ::2], np.empty((n, n)))
    out = np.empty((n, n))
    out.flags.writeable = False
    with pytest.raises(ctypes.ArgumentError):  # read-only output
        b.lib.ssm_expm(n, np.eye(n), out)
    with pytest.raises(ctypes.ArgumentError):  # real array where ssm_complex_t* is declared
        b.lib.ssm_expm_complex(n, np.eye(n), np.empty((n, n), complex))


def test_expm_in_place_is_allowed():
    M = np.array([[0.0, 1.0], [-2.0, -3.0]])
    expected = ssmkit.expm(M)
    assert b.lib.ssm_expm(2, M, M) == 0
    assert np.array_equal(M, expected)


def test_last_error_is_per_thread():
    assert b.lib.ssm_expm(-1, np.eye(1), np.empty((1, 1))) == b.SSM_ERR_SIZE
    mine = b.last_error()
    assert "n = -1" in mine or "-1" in mine
    seen = {}

    def other():
        seen["before"] = b.last_error()
        b.lib.ssm_hippo(99, 3, None, np.empty((3, 3)), np.empty(3))
        seen["after"] = b.last_error()

    t = threading.Thread(target=other)
    t.start()
    t.join()
    assert seen["before"] == ""  # a fresh thread has no message
    assert "99" in seen["after"]
    assert b.last_error() == mine  # the other thread's failure did not overwrite ours


def test_errors_are_thread_safe_under_concurrency():
    failures = []

    def worker(k):
        for _ in range(200):
            try:
                ssmkit.hippo("legs", 0)
            except ssmkit.SSMSizeError:
                pass
            status = b.lib.ssm_expm(-k, np.eye(1), np.empty((1, 1)))
            if status != b.SSM_ERR_SIZE or str(-k) not in b.last_error():
                failures.append((k, b.last_error()))

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(2, 6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures[:3]


# --- library lookup -------------------------------------------------------------------------


def _run(code, **env):
    full = dict(os.environ, PYTHONPATH=PYTHON_DIR, **env)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=full, timeout=120)


def test_ssmkit_library_env_var_missing_file():
    r = _run("import ssmkit", SSMKIT_LIBRARY="/nonexistent/libssmkit.so")
    assert r.returncode != 0
    assert "SSMKitLibraryNotFound" in r.stderr and "/nonexistent/libssmkit.so" in r.stderr
    assert "swift build -c release" in r.stderr


def test_ssmkit_library_env_var_not_a_library(tmp_path):
    fake = tmp_path / "libssmkit.so"
    fake.write_text("not a library")
    r = _run("import ssmkit", SSMKIT_LIBRARY=str(fake))
    assert r.returncode != 0 and "SSMKitLibraryNotFound" in r.stderr and "cannot load" in r.stderr


def test_ssmkit_library_env_var_is_used():
    r = _run("import ssmkit; print(ssmkit.library_path())", SSMKIT_LIBRARY=ssmkit.library_path())
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == ssmkit.library_path()


def test_search_reports_places(monkeypatch):
    monkeypatch.delenv("SSMKIT_LIBRARY", raising=False)
    monkeypatch.setattr(_lib, "candidate_paths", lambda: [("nowhere", "/nonexistent/x.so")])
    monkeypatch.setattr(_lib.ctypes.util, "find_library", lambda name: None)
    with pytest.raises(_lib.SSMKitLibraryNotFound) as info:
        _lib.load_library()
    message = str(info.value)
    assert "/nonexistent/x.so" in message and "SSMKIT_LIBRARY" in message
    assert "find_library" in message and "swift build -c release" in message
    assert isinstance(info.value, ImportError)


def test_other_major_version_is_refused(monkeypatch):
    monkeypatch.setattr(_lib, "PACKAGE_MAJOR", 1)
    monkeypatch.setenv("SSMKIT_LIBRARY", ssmkit.library_path())
    with pytest.raises(_lib.SSMKitVersionMismatch, match="major 0"):
        _lib.load_library()
    monkeypatch.delenv("SSMKIT_LIBRARY")
    monkeypatch.setattr(_lib, "candidate_paths", lambda: [("test", ssmkit.library_path())])
    monkeypatch.setattr(_lib.ctypes.util, "find_library", lambda name: None)
    with pytest.raises(_lib.SSMKitVersionMismatch):
        _lib.load_library()


def test_command_line():
    r = subprocess.run([sys.executable, "-m", "ssmkit", "version"], capture_output=True,
                       text=True, env=dict(os.environ, PYTHONPATH=PYTHON_DIR), timeout=120)
    assert r.returncode == 0, r.stderr
    assert ssmkit.__version__ in r.stdout and ssmkit.library_path() in r.stdout
