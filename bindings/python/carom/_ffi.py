"""Loading libcarom and declaring its C ABI (include/carom.h) for ctypes.

Loading order (the first that loads and passes the version check wins):

1. ``CAROM_LIBRARY``: a path to the library file (or to a directory holding libcarom.so.0). When
   it is set, nothing else is tried: a wrong path is an error, never a silent fallback to some
   other copy of the library.
2. The build tree, when this package sits in carom's source tree (bindings/python/carom): the
   library of ``<source>/build`` and of any other Meson build directory at the top of the source.
3. Where ``meson install`` put the library with this package: ``carom/_install.py`` (written by the
   install, absent in the source tree) gives LIBDIR relative to the package's folder.
4. The installed library by its exact soname, ``libcarom.so.0`` (the dynamic loader's search:
   LD_LIBRARY_PATH, the ldconfig cache, /lib, /usr/lib). The unversioned ``libcarom.so`` exists
   only with development files and could be an incompatible major version, so it is not used.

``CDLL(None)`` (the symbols already in the process) is never used. After loading, the sentinel
``carom_version_number()`` must report major version ``ABI_MAJOR`` and at least the version these
declarations were written for; otherwise the candidate is refused. When nothing loads, an OSError
lists every candidate and why it failed.

Declarations: ``_DECLARATIONS`` below is the one table of every function's restype, argtypes and
errcheck; tests/python/test_ffi.py checks it against the symbols the library exports. Each handle
type is its own opaque pointer type, so passing an options handle where an engine is expected is
a TypeError, not a crash. Functions that hand the caller a string to free (``char **`` out
parameters) are given ``c_void_p`` slots; the string is copied with ``string_at`` and then freed
with ``carom_string_free`` (a ``c_char_p`` would convert to bytes and lose the pointer). Borrowed
strings (static names, strings owned by a result) use ``c_char_p`` or ``c_void_p`` + length.

ctypes' CDLL releases the GIL around every foreign call and the engine is thread-safe, so there is
no lock anywhere in this module.
"""

from __future__ import annotations

import ctypes
import os
import sys
from ctypes import (
    CFUNCTYPE,
    POINTER,
    Structure,
    c_char_p,
    c_int,
    c_size_t,
    c_uint,
    c_uint64,
    c_void_p,
)
from pathlib import Path
from typing import TYPE_CHECKING, Callable, List, Optional, Sequence, Tuple, Type

from ._errors import error_for_status

if TYPE_CHECKING:  # names of typeshed's ctypes stubs, for annotations only
    from ctypes import _CData, _FuncPointer, _Pointer

__all__ = ["lib", "ABI_MAJOR", "MIN_VERSION", "SONAME", "library_path", "take_string", "status_text"]

#: The major version (soname number) these declarations are for.
ABI_MAJOR = 0
#: The oldest library version (CAROM_VERSION_NUMBER) that has every function declared below.
MIN_VERSION = 200  # 0.2.0: the declarations below use functions and fields since 0.2

if sys.platform == "darwin":
    SONAME = "libcarom.%d.dylib" % ABI_MAJOR
elif sys.platform == "win32":
    SONAME = "carom-%d.dll" % ABI_MAJOR
else:
    SONAME = "libcarom.so.%d" % ABI_MAJOR


# --- opaque handle types: one distinct pointer type per handle --------------------------------
class _Options(Structure):
    """struct carom_options (opaque)."""


class _Engine(Structure):
    """struct carom_engine (opaque)."""


class _Result(Structure):
    """struct carom_result (opaque)."""


OptionsPtr = POINTER(_Options)
EnginePtr = POINTER(_Engine)
ResultPtr = POINTER(_Result)

if TYPE_CHECKING:
    #: The instances of OptionsPtr, EnginePtr and ResultPtr (the handles), for annotations.
    OptionsHandle = _Pointer[_Options]
    EngineHandle = _Pointer[_Engine]
    ResultHandle = _Pointer[_Result]
    #: What ctypes passes to an errcheck: the converted result, the function, the arguments.
    ErrCheck = Callable[[int, object, Tuple[object, ...]], int]

# C enums are int-sized (each has a private 0x7fffffff sentinel that pins it to 32 bits).
c_enum = c_int

#: carom_sent_callback_t. Strings arrive as pointer + length, so they are c_void_p here.
SentCallback = CFUNCTYPE(c_enum, c_void_p, c_void_p, c_size_t, c_void_p, c_size_t)


# --- errcheck helpers -------------------------------------------------------------------------
def _raise_status(status: int, detail: Optional[str]) -> None:
    raise error_for_status(status, status_text(status), detail)


def _check_status(result: int, func: object, args: Tuple[object, ...]) -> int:
    """errcheck for functions returning carom_status_t: raise CaromError unless CAROM_OK."""
    if result != 0:
        _raise_status(result, None)
    return result


def _check_status_with_error(index: int) -> ErrCheck:
    """errcheck for functions that also write a detail message through a `char **error` at
    argument ``index``. The caller passes a fresh ``c_void_p()`` there (ctypes passes it by
    reference); this takes the string, frees it, and raises with it on failure."""

    def check(result: int, func: object, args: Tuple[object, ...]) -> int:
        slot = args[index]
        detail = take_string(slot) if isinstance(slot, c_void_p) else None
        if result != 0:
            _raise_status(result, detail)
        return result

    return check


_STATUS = _check_status

# --- the declaration table --------------------------------------------------------------------
# name: (restype, argtypes, errcheck). Every function of carom.h, in the header's order.
_u64p = POINTER(c_uint64)
_DECLARATIONS: Sequence[Tuple[str, Optional[Type[_CData]], List[Type[_CData]], Optional[ErrCheck]]] = [
    # versions
    ("carom_version_number", c_uint, [], None),
    ("carom_version_string", c_char_p, [], None),  # static
    # status codes
    ("carom_status_string", c_char_p, [c_enum], None),  # static
    ("carom_status_name", c_char_p, [c_enum], None),  # static, NULL for unknown
    ("carom_string_free", None, [c_void_p], None),
    # taxonomy
    ("carom_class_count", c_uint, [], None),
    ("carom_class_name", c_char_p, [c_enum], None),
    ("carom_reason_count", c_uint, [], None),
    ("carom_reason_name", c_char_p, [c_enum], None),
    ("carom_reason_from_name", c_enum, [c_char_p, c_size_t, POINTER(c_enum)], None),  # E_INVALID = not found
    ("carom_reason_default_class", c_enum, [c_enum], None),
    # limits
    ("carom_limit_count", c_uint, [], None),
    ("carom_limit_name", c_char_p, [c_enum], None),
    ("carom_limit_bounds", c_enum, [c_enum, _u64p, _u64p, _u64p], _STATUS),
    # options
    ("carom_options_new", c_enum, [POINTER(OptionsPtr)], _STATUS),
    ("carom_options_free", None, [OptionsPtr], None),
    ("carom_options_set_limit", c_enum, [OptionsPtr, c_enum, c_uint64], _STATUS),
    ("carom_options_get_limit", c_enum, [OptionsPtr, c_enum, _u64p], _STATUS),
    ("carom_options_use_builtin_rules", c_enum, [OptionsPtr, c_int], _STATUS),
    (
        "carom_options_add_rules",
        c_enum,
        [OptionsPtr, c_char_p, c_size_t, c_char_p, c_size_t, POINTER(c_void_p)],
        _check_status_with_error(5),
    ),
    ("carom_options_add_original_header", c_enum, [OptionsPtr, c_char_p, c_size_t], _STATUS),
    (
        "carom_options_set_context_json",
        c_enum,
        [OptionsPtr, c_char_p, c_size_t, POINTER(c_void_p)],
        _check_status_with_error(3),
    ),
    ("carom_options_set_sent_callback", c_enum, [OptionsPtr, SentCallback, c_void_p], _STATUS),
    ("carom_options_use_backscatter", c_enum, [OptionsPtr, c_int], _STATUS),
    # engine
    ("carom_engine_new", c_enum, [OptionsPtr, POINTER(EnginePtr), POINTER(c_void_p)], _check_status_with_error(2)),
    ("carom_engine_free", None, [EnginePtr], None),
    ("carom_engine_rules_version", c_char_p, [EnginePtr], None),  # static
    ("carom_engine_rule_count", c_size_t, [EnginePtr], None),
    ("carom_engine_rules_json", c_enum, [EnginePtr, POINTER(c_void_p), POINTER(c_size_t)], _STATUS),
    ("carom_engine_decision_json", c_enum, [EnginePtr, POINTER(c_void_p), POINTER(c_size_t)], _STATUS),
    # classification
    ("carom_classify", c_enum, [EnginePtr, c_char_p, c_size_t, POINTER(ResultPtr)], _STATUS),
    ("carom_classify_ex", c_enum, [EnginePtr, c_char_p, c_size_t, c_uint, POINTER(ResultPtr)], _STATUS),
    ("carom_result_free", None, [ResultPtr], None),
    ("carom_result_status", c_enum, [ResultPtr], None),  # the message's status: not an error here
    ("carom_result_message", c_char_p, [ResultPtr], None),  # owned by the result
    ("carom_result_record_count", c_size_t, [ResultPtr], None),
    # owned by the result; pointer + length because a value could hold a NUL byte
    ("carom_result_field", c_void_p, [ResultPtr, c_size_t, c_enum, POINTER(c_size_t)], None),
    ("carom_result_class", c_enum, [ResultPtr, c_size_t], None),
    ("carom_result_reason", c_enum, [ResultPtr, c_size_t], None),
    ("carom_result_verdict", c_enum, [ResultPtr], None),
    ("carom_result_status_derived", c_int, [ResultPtr, c_size_t], None),
    (
        "carom_result_to_json",
        c_enum,
        [ResultPtr, c_char_p, c_size_t, POINTER(c_void_p), POINTER(c_size_t)],
        _STATUS,
    ),
]

#: Names of every declared function (tests compare it with the library's exports).
DECLARED = frozenset(name for name, _, _, _ in _DECLARATIONS)


class Library:
    """The loaded library: one attribute per declared function, plus where it came from.

    The annotations below give each function's signature as Python sees it through the
    declarations of _DECLARATIONS (ctypes converts the arguments and the result: a ``c_char_p``
    result is bytes or None, a ``c_void_p`` result an int or None, a pointer parameter takes the
    pointed-to ctypes object, which ctypes passes by reference). They are annotations only: the
    attributes are the CDLL's functions, set in __init__ (tests/python/test_ffi.py checks that
    every declared function is annotated here)."""

    # versions
    carom_version_number: Callable[[], int]
    carom_version_string: Callable[[], bytes]
    # status codes
    carom_status_string: Callable[[int], bytes]
    carom_status_name: Callable[[int], Optional[bytes]]
    carom_string_free: Callable[[Optional[int]], None]
    # taxonomy
    carom_class_count: Callable[[], int]
    carom_class_name: Callable[[int], Optional[bytes]]
    carom_reason_count: Callable[[], int]
    carom_reason_name: Callable[[int], Optional[bytes]]
    carom_reason_from_name: Callable[[bytes, int, c_int], int]
    carom_reason_default_class: Callable[[int], int]
    # limits
    carom_limit_count: Callable[[], int]
    carom_limit_name: Callable[[int], Optional[bytes]]
    carom_limit_bounds: Callable[[int, c_uint64, c_uint64, c_uint64], int]
    # options
    carom_options_new: Callable[[OptionsHandle], int]
    carom_options_free: Callable[[OptionsHandle], None]
    carom_options_set_limit: Callable[[OptionsHandle, int, int], int]
    carom_options_get_limit: Callable[[OptionsHandle, int, c_uint64], int]
    carom_options_use_builtin_rules: Callable[[OptionsHandle, int], int]
    carom_options_add_rules: Callable[[OptionsHandle, bytes, int, bytes, int, c_void_p], int]
    carom_options_add_original_header: Callable[[OptionsHandle, bytes, int], int]
    carom_options_set_context_json: Callable[[OptionsHandle, bytes, int, c_void_p], int]
    carom_options_set_sent_callback: Callable[[OptionsHandle, _FuncPointer, Optional[int]], int]
    carom_options_use_backscatter: Callable[[OptionsHandle, int], int]
    # engine
    carom_engine_new: Callable[[OptionsHandle, EngineHandle, c_void_p], int]
    carom_engine_free: Callable[[EngineHandle], None]
    carom_engine_rules_version: Callable[[EngineHandle], bytes]
    carom_engine_rule_count: Callable[[EngineHandle], int]
    carom_engine_rules_json: Callable[[EngineHandle, c_void_p, c_size_t], int]
    carom_engine_decision_json: Callable[[EngineHandle, c_void_p, c_size_t], int]
    # classification
    carom_classify: Callable[[EngineHandle, bytes, int, ResultHandle], int]
    carom_classify_ex: Callable[[EngineHandle, bytes, int, int, ResultHandle], int]
    carom_result_free: Callable[[ResultHandle], None]
    carom_result_status: Callable[[ResultHandle], int]
    carom_result_message: Callable[[ResultHandle], Optional[bytes]]
    carom_result_record_count: Callable[[ResultHandle], int]
    carom_result_field: Callable[[ResultHandle, int, int, c_size_t], Optional[int]]
    carom_result_class: Callable[[ResultHandle, int], int]
    carom_result_reason: Callable[[ResultHandle, int], int]
    carom_result_verdict: Callable[[ResultHandle], int]
    carom_result_status_derived: Callable[[ResultHandle, int], int]
    carom_result_to_json: Callable[[ResultHandle, Optional[bytes], int, c_void_p, c_size_t], int]

    def __init__(self, cdll: ctypes.CDLL, path: str, how: str) -> None:
        self.cdll = cdll
        self.path = path
        self.how = how
        for name, restype, argtypes, errcheck in _DECLARATIONS:
            fn = getattr(cdll, name)
            fn.restype = restype
            fn.argtypes = argtypes
            if errcheck is not None:
                fn.errcheck = errcheck
            setattr(self, name, fn)


def _source_root() -> Optional[Path]:
    """carom's source tree when this package is bindings/python/carom inside it."""
    root = Path(__file__).resolve().parent.parent.parent.parent
    if (root / "include" / "carom.h").is_file() and (root / "bindings" / "python" / "carom").is_dir():
        return root
    return None


def _build_tree_candidates() -> List[str]:
    root = _source_root()
    if root is None:
        return []
    dirs = [root / "build"]
    try:
        others = sorted(p for p in root.iterdir() if p.name != "build" and (p / "meson-info").is_dir())
    except OSError:
        others = []
    return [str(d / "lib" / SONAME) for d in dirs + others]


def _candidates() -> List[Tuple[str, str]]:
    """(how, what to hand to CDLL) in the order they are tried."""
    env = os.environ.get("CAROM_LIBRARY")
    if env:
        path = os.path.join(env, SONAME) if os.path.isdir(env) else env
        return [("CAROM_LIBRARY", path)]
    found = [("build tree", p) for p in _build_tree_candidates()]
    return found + _install_candidates() + [("installed soname", SONAME)]


def _install_candidates() -> List[Tuple[str, str]]:
    """The library installed with this package (meson install), from carom/_install.py."""
    try:
        # Written by `meson install` next to the installed package; absent from the source tree.
        from . import _install  # type: ignore[attr-defined]
    except ImportError:
        return []
    here = os.path.dirname(os.path.abspath(__file__))
    return [("install prefix", os.path.normpath(os.path.join(here, _install.LIBRARY_DIR, SONAME)))]


def _load() -> Library:
    tried: List[str] = []
    for how, path in _candidates():
        if os.sep in path and not os.path.exists(path):
            tried.append(f"{how} {path}: no such file")
            continue
        try:
            cdll = ctypes.CDLL(path)
        except OSError as exc:
            tried.append(f"{how} {path}: {exc}")
            continue
        try:
            sentinel = cdll.carom_version_number
        except AttributeError:
            tried.append(f"{how} {path}: not libcarom (no carom_version_number)")
            continue
        sentinel.restype = c_uint
        sentinel.argtypes = []
        number = int(sentinel())
        major = number // 10000
        if major != ABI_MAJOR or number < MIN_VERSION:
            tried.append(
                f"{how} {path}: version {major}.{number // 100 % 100}.{number % 100} "
                f"(this binding needs {ABI_MAJOR}.x, at least {MIN_VERSION // 10000}."
                f"{MIN_VERSION // 100 % 100}.{MIN_VERSION % 100})"
            )
            continue
        try:
            return Library(cdll, path, how)
        except AttributeError as exc:  # a symbol of the table is missing
            tried.append(f"{how} {path}: {exc}")
    raise OSError(
        "carom: cannot load the carom library; tried:\n  "
        + "\n  ".join(tried)
        + "\nSet CAROM_LIBRARY to the path of " + SONAME + ", or install carom (meson install; ldconfig)."
    )


lib = _load()
#: The path (or soname) the library was loaded from.
library_path: str = lib.path


def status_text(status: int) -> str:
    """carom_status_string(status) as str."""
    return lib.carom_status_string(status).decode("utf-8", "replace")


def take_string(slot: c_void_p, length: Optional[int] = None) -> Optional[str]:
    """Copies a caller-owned string written to ``slot`` and frees it with carom_string_free."""
    ptr = slot.value
    if not ptr:
        return None
    try:
        data = ctypes.string_at(ptr, length) if length is not None else ctypes.string_at(ptr)
    finally:
        slot.value = None
        lib.carom_string_free(ptr)
    return data.decode("utf-8", "replace")
