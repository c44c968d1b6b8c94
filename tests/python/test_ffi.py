"""The loader and the declaration table against the library actually built."""
import ctypes
import ctypes.util
import os
import re
import shutil
import subprocess

import pytest

import carom
from carom import _ffi
from conftest import SOURCE_ROOT, run_python

HEADER = SOURCE_ROOT / "include" / "carom.h"


def header_functions():
    text = HEADER.read_text()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return set(re.findall(r"\bCAROM_API\b[^;{]*?\b(carom_\w+)\s*\(", text))


def exported_functions(path):
    nm = shutil.which("nm")
    if nm is None:
        pytest.skip("nm (binutils) is not installed")
    out = subprocess.run([nm, "-D", "--defined-only", path], capture_output=True, text=True, check=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] in "TtWi":
            names.add(parts[2].split("@")[0])
    return names


def test_header_parse_is_not_empty():
    names = header_functions()
    assert "carom_classify" in names and "carom_result_to_json" in names
    assert len(names) > 30


def test_every_header_function_is_declared():
    assert header_functions() - _ffi.DECLARED == set()
    assert _ffi.DECLARED - header_functions() == set()


def test_every_exported_symbol_is_declared():
    exported = exported_functions(carom.library_path)
    assert exported, "nm found no symbol at all"
    carom_exports = {n for n in exported if n.startswith("carom_")}
    assert carom_exports == exported, "the library exports non-carom symbols"
    assert carom_exports - _ffi.DECLARED == set(), "exported but not declared in _ffi"
    assert _ffi.DECLARED - carom_exports == set(), "declared in _ffi but not exported"


def test_declarations_are_complete():
    for name, restype, argtypes, _ in _ffi._DECLARATIONS:
        fn = getattr(_ffi.lib, name)
        assert fn.argtypes == argtypes, name
        assert fn.restype is restype, name


def _split_top_level(text):
    """Splits "a, B[c, d], e" at the commas outside brackets."""
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
            continue
        depth += ch == "["
        depth -= ch == "]"
        current += ch
    if current.strip():
        parts.append(current.strip())
    return parts


def test_library_annotations_match_the_declarations():
    # The type checker sees each function through Library's annotations (the package ships
    # py.typed; test mypy-strict): one per declared function, as many parameters as argtypes,
    # and a result type that is what ctypes makes of the restype.
    annotations = {k: v for k, v in _ffi.Library.__annotations__.items() if k.startswith("carom_")}
    assert set(annotations) == set(_ffi.DECLARED)
    results = {
        None: {"None"},
        ctypes.c_char_p: {"bytes", "Optional[bytes]"},
        ctypes.c_void_p: {"Optional[int]"},
        ctypes.c_int: {"int"},
        ctypes.c_uint: {"int"},
        ctypes.c_size_t: {"int"},
    }
    for name, restype, argtypes, _ in _ffi._DECLARATIONS:
        text = annotations[name]
        assert text.startswith("Callable[[") and text.endswith("]"), name
        params, result = _split_top_level(text[len("Callable["):-1])
        assert len(_split_top_level(params[1:-1])) == len(argtypes), name
        assert result in results[restype], name


def test_caller_owned_strings_are_void_pointers():
    # A char ** out-parameter must be read as c_void_p and freed, never converted by c_char_p.
    for name, _, argtypes, _ in _ffi._DECLARATIONS:
        for t in argtypes:
            assert t is not ctypes.POINTER(ctypes.c_char_p), name


def test_handles_are_distinct_types():
    options = _ffi.OptionsPtr()
    _ffi.lib.carom_options_new(options)
    try:
        with pytest.raises(ctypes.ArgumentError):
            _ffi.lib.carom_engine_rule_count(options)
        with pytest.raises(ctypes.ArgumentError):
            _ffi.lib.carom_result_record_count(options)
    finally:
        _ffi.lib.carom_options_free(options)


def test_version_agrees_everywhere():
    number = _ffi.lib.carom_version_number()
    assert number // 10000 == _ffi.ABI_MAJOR
    text = carom.library_version()
    major, minor, patch = (int(x) for x in text.split("."))
    assert number == major * 10000 + minor * 100 + patch
    header = HEADER.read_text()
    assert f'#define CAROM_VERSION_STRING "{text}"' in header
    assert carom.__version__ == text
    pyproject = (SOURCE_ROOT / "bindings" / "python" / "pyproject.toml").read_text()
    assert re.search(rf'^version = "{re.escape(text)}"', pyproject, re.M)


def test_library_loaded_from_env_when_set():
    if os.environ.get("CAROM_LIBRARY"):
        assert os.path.samefile(carom.library_path, os.environ["CAROM_LIBRARY"])


def test_bad_library_path_raises_oserror_naming_it(tmp_path):
    missing = tmp_path / "nowhere" / "libcarom.so.0"
    r = run_python("import carom", CAROM_LIBRARY=str(missing))
    assert r.returncode != 0
    assert "OSError" in r.stderr
    assert "CAROM_LIBRARY" in r.stderr and str(missing) in r.stderr


def test_env_var_set_means_no_silent_fallback(tmp_path):
    # With a wrong CAROM_LIBRARY nothing else is tried, even though a good library exists.
    r = run_python("import carom", CAROM_LIBRARY=str(tmp_path / "libcarom.so.0"))
    assert "build tree" not in r.stderr and "installed soname" not in r.stderr
    assert r.returncode != 0


def test_not_a_carom_library_is_refused():
    libc = ctypes.util.find_library("c")
    if not libc:
        pytest.skip("no libc to load")
    r = run_python("import carom", CAROM_LIBRARY=libc)
    assert r.returncode != 0
    assert "not libcarom" in r.stderr


def test_a_library_of_another_major_version_is_refused(tmp_path):
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        pytest.skip("no C compiler")
    src = tmp_path / "fake.c"
    src.write_text("unsigned carom_version_number(void) { return 10203; }\n")
    so = tmp_path / "libcarom.so.0"
    subprocess.run([cc, "-shared", "-fPIC", "-o", str(so), str(src)], check=True)
    r = run_python("import carom", CAROM_LIBRARY=str(so))
    assert r.returncode != 0
    assert "version 1.2.3" in r.stderr and str(so) in r.stderr


def test_a_directory_in_carom_library_means_the_soname_inside():
    directory = os.path.dirname(os.path.abspath(carom.library_path))
    r = run_python("import carom; print(carom.library_path)", CAROM_LIBRARY=directory)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().endswith(_ffi.SONAME)


def test_never_loads_the_process_symbols(monkeypatch):
    # CDLL(None) would hand back whatever the process has: no candidate is ever empty, and the
    # last resort is the exact soname, not the unversioned libcarom.so.
    monkeypatch.delenv("CAROM_LIBRARY", raising=False)
    candidates = _ffi._candidates()
    assert all(path for _, path in candidates)
    assert candidates[-1] == ("installed soname", _ffi.SONAME)
    assert all(not path.endswith("libcarom.so") for _, path in candidates)
