"""Finding and loading ``libssmkit``, the C ABI of SSMKit.

Search order (the first library that loads and has the right major version wins):

1. the ``SSMKIT_LIBRARY`` environment variable (a file path; if it is set, nothing else is tried),
2. the package folder (``ssmkit/libssmkit.so``, as a wheel would ship it),
3. the repository's build folders, relative to the repository root (the parent of ``python/``):
   ``.build/release``, ``.build/debug`` (``swift build``) and ``build`` (CMake),
4. the system (``ctypes.util.find_library("ssmkit")``, i.e. ``ldconfig``'s cache).

A library whose major version (``ssm_version_number() // 10000``) differs from this package's is
refused: the C ABI only stays stable within one major version.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from pathlib import Path

__all__ = [
    "SSMKitLibraryError",
    "SSMKitLibraryNotFound",
    "SSMKitVersionMismatch",
    "PACKAGE_VERSION",
    "candidate_paths",
    "load_library",
]

#: The version of this Python package (it must match the library's major version).
PACKAGE_VERSION = "0.1.0"
PACKAGE_MAJOR = int(PACKAGE_VERSION.split(".")[0])

if sys.platform == "darwin":
    _NAMES = ("libssmkit.dylib", "libssmkit.0.dylib")
elif sys.platform == "win32":
    _NAMES = ("ssmkit.dll", "libssmkit.dll")
else:
    _NAMES = ("libssmkit.so", "libssmkit.so.0")

_PACKAGE_DIR = Path(__file__).resolve().parent
#: The repository root: python/ssmkit/_lib.py -> python/ssmkit -> python -> root.
REPO_ROOT = _PACKAGE_DIR.parent.parent
_BUILD_DIRS = (".build/release", ".build/debug", "build")

_HOW_TO_BUILD = (
    "Build it at the repository root with `swift build -c release` (or "
    "`cmake -S . -B build -G Ninja && cmake --build build`), or point the SSMKIT_LIBRARY "
    "environment variable at an existing libssmkit.so."
)


class SSMKitLibraryError(ImportError):
    """The SSMKit shared library could not be used."""


class SSMKitLibraryNotFound(SSMKitLibraryError):
    """No loadable libssmkit was found. The message says where the search looked."""


class SSMKitVersionMismatch(SSMKitLibraryError):
    """A libssmkit was found but its major version differs from this package's."""


def candidate_paths() -> list[tuple[str, str]]:
    """The places searched, in order, as ``(description, path)`` pairs (paths may not exist)."""
    places: list[tuple[str, str]] = []
    for name in _NAMES:
        places.append(("package folder", str(_PACKAGE_DIR / name)))
    for folder in _BUILD_DIRS:
        for name in _NAMES:
            places.append((f"repository {folder}/", str(REPO_ROOT / folder / name)))
    return places


def _library_major(lib: ctypes.CDLL) -> tuple[int, int]:
    """The run-time version number and major version of a loaded library."""
    # int32_t ssm_version_number(void);
    fn = lib.ssm_version_number
    fn.argtypes = []
    fn.restype = ctypes.c_int32
    number = int(fn())
    return number, number // 10000


def _try_load(path: str, tried: list[str], mismatched: list[str]) -> ctypes.CDLL | None:
    """Loads ``path`` and checks its version; records why it was rejected otherwise."""
    try:
        lib = ctypes.CDLL(path)
    except OSError as error:
        tried.append(f"{path}: cannot load ({error})")
        return None
    try:
        number, major = _library_major(lib)
    except AttributeError:
        tried.append(f"{path}: loads but has no ssm_version_number (not libssmkit)")
        return None
    if major != PACKAGE_MAJOR:
        mismatched.append(
            f"{path}: library version number {number} (major {major}) but the ssmkit "
            f"package is {PACKAGE_VERSION} (major {PACKAGE_MAJOR})")
        return None
    return lib


def load_library() -> tuple[ctypes.CDLL, str]:
    """Finds and loads libssmkit; returns ``(library, path)``.

    Raises
    ------
    SSMKitLibraryNotFound
        Nothing loadable was found; the message lists every place searched and how to build.
    SSMKitVersionMismatch
        Only libraries of another major version were found.
    """
    tried: list[str] = []
    mismatched: list[str] = []

    explicit = os.environ.get("SSMKIT_LIBRARY")
    if explicit:
        if not os.path.exists(explicit):
            raise SSMKitLibraryNotFound(
                f"SSMKIT_LIBRARY={explicit!r} does not exist. Unset it to search the usual "
                f"places, or point it at a built libssmkit. {_HOW_TO_BUILD}")
        lib = _try_load(explicit, tried, mismatched)
        if lib is not None:
            return lib, explicit
        if mismatched:
            raise SSMKitVersionMismatch(f"SSMKIT_LIBRARY refused: {mismatched[0]}")
        raise SSMKitLibraryNotFound(f"SSMKIT_LIBRARY refused: {tried[0]}. {_HOW_TO_BUILD}")

    searched: list[str] = ["SSMKIT_LIBRARY environment variable (not set)"]
    for description, path in candidate_paths():
        if os.path.exists(path):
            lib = _try_load(path, tried, mismatched)
            if lib is not None:
                return lib, path
        else:
            searched.append(f"{description}: {path} (missing)")

    system = ctypes.util.find_library("ssmkit")
    if system is None:
        searched.append("system: ctypes.util.find_library('ssmkit') found nothing")
    else:
        lib = _try_load(system, tried, mismatched)
        if lib is not None:
            return lib, system

    details = "\n  ".join(searched + tried + mismatched)
    if mismatched:
        raise SSMKitVersionMismatch(
            "found libssmkit only with another major version:\n  " + details
            + f"\n{_HOW_TO_BUILD}")
    raise SSMKitLibraryNotFound(
        "libssmkit (the SSMKit C library) was not found. Searched:\n  " + details
        + f"\n{_HOW_TO_BUILD}")
