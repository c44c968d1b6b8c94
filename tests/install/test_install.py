"""A clean install, as a user gets it (README, "Installing").

    test_install.py BUILD_DIR SOURCE_ROOT

1. `meson install --destdir T` of BUILD_DIR writes nothing outside T/PREFIX;
2. with a clean environment (no LD_LIBRARY_PATH, no CAROM_LIBRARY) the installed `carom
   --version` and `carom classify` run, and so does `carom-milter --help` when it was built;
3. every man page is there and renders (`man -l`, when man is installed);
4. `PYTHONPATH=<prefix site-packages> python3 -c 'import carom; carom.Engine()'` loads the
   installed library (not the build tree's) and classifies;
5. the README's C example builds through the installed pkg-config file and runs;
6. a fresh configure with -Dtests=disabled -Dbench=disabled defines no target of tests/ or
   bench/: only what is installed is built.
Writes only under a temporary directory, which it removes.
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

BUILD, SOURCE = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
CLEAN_ENV = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "LANG": "C.UTF-8"}
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, **kw)


def option(name):
    for o in json.loads(run(["meson", "introspect", "--buildoptions", BUILD]).stdout):
        if o["name"] == name:
            return o["value"]
    raise KeyError(name)


def installed(tmp):
    prefix = option("prefix")
    root = tmp + prefix
    p = run(["meson", "install", "-C", BUILD, "--no-rebuild", "--destdir", tmp, "--quiet"])
    check(p.returncode == 0, "meson install --destdir succeeds" + ("" if p.returncode == 0 else ": " + p.stderr[-2000:]))
    paths = [f.rstrip("/") for f in glob.glob(tmp + "/**", recursive=True)]
    outside = [f for f in paths if not (f + "/").startswith(root + "/") and not (root + "/").startswith(f + "/")]
    check(not outside, "nothing is written outside the prefix %s (%s)" % (prefix, outside[:3]))
    return root, prefix


def programs(root):
    carom = os.path.join(root, "bin", "carom")
    p = run([carom, "--version"], env=CLEAN_ENV)
    check(p.returncode == 0 and "carom" in p.stdout, "installed carom --version runs without LD_LIBRARY_PATH")
    sample = sorted(glob.glob(os.path.join(SOURCE, "corpus", "**", "*.eml"), recursive=True))[0]
    p = run([carom, "classify", sample], env=CLEAN_ENV)
    check(p.returncode in (0, 1) and json.loads(p.stdout)["source"] == sample, "installed carom classify runs")
    milter = os.path.join(root, "bin", "carom-milter")
    if os.path.exists(milter):
        p = run([milter, "--help"], env=CLEAN_ENV)
        check(p.returncode == 0 and "--socket" in p.stdout, "installed carom-milter --help runs")
    completion = os.path.join(root, "share", "bash-completion", "completions", "carom")
    check(os.path.exists(completion) and run(["bash", "-n", completion]).returncode == 0,
          "bash completion installed and parses")
    return sample


def man_pages(root):
    pages = ["man1/carom.1", "man3/libcarom.3", "man5/carom-rules.5", "man8/carom-milter.8"]
    if not shutil.which("scdoc"):
        print("skip man pages: scdoc is not installed (-Dman=auto builds none)")
        return
    for page in pages:
        path = os.path.join(root, "share", "man", page)
        ok = os.path.exists(path) and ".TH" in open(path, errors="replace").read()
        if ok and shutil.which("man"):
            p = run(["man", "-l", path], env=dict(CLEAN_ENV, MANPAGER="cat", PAGER="cat", MANWIDTH="80"))
            ok = p.returncode == 0 and "NAME" in p.stdout
        check(ok, "man page %s installed%s" % (page, " and renders with man -l" if shutil.which("man") else ""))


def python_package(root, prefix, sample):
    inits = glob.glob(os.path.join(root, "**", "carom", "__init__.py"), recursive=True)
    check(len(inits) == 1, "the Python package is installed under the prefix (%s)" % inits)
    if len(inits) != 1:
        return
    site = os.path.dirname(os.path.dirname(inits[0]))
    code = ("import carom, carom._ffi as f, sys; e = carom.Engine(); r = next(e.classify_path(sys.argv[1])); "
            "print(f.library_path); print(len(r.records))")
    p = run([sys.executable, "-c", code, sample], env=dict(CLEAN_ENV, PYTHONPATH=site), cwd="/")
    lines = p.stdout.split()
    check(p.returncode == 0 and lines and lines[0].startswith(root + "/"),
          "PYTHONPATH=<prefix site> import carom loads the installed library (%s%s)" %
          (lines[:1], p.stderr[-500:]))


def c_example(root, tmp):
    pcs = glob.glob(os.path.join(root, "**", "pkgconfig", "carom.pc"), recursive=True)
    check(len(pcs) == 1, "carom.pc installed")
    if len(pcs) != 1 or not shutil.which("pkg-config"):
        return
    env = dict(CLEAN_ENV, PKG_CONFIG_PATH=os.path.dirname(pcs[0]))
    flags = run(["pkg-config", "--define-variable=prefix=" + root, "--cflags", "--libs", "carom"], env=env).stdout.split()
    libdir = run(["pkg-config", "--define-variable=prefix=" + root, "--variable=libdir", "carom"], env=env).stdout.strip()
    exe = os.path.join(tmp, "readme_example")
    p = run(["cc", "-std=c99", os.path.join(SOURCE, "tests", "api", "readme_example.c"), "-o", exe, "-Wl,-rpath," + libdir]
            + flags, env=env)
    check(p.returncode == 0, "the README's C example builds with pkg-config --cflags --libs carom" + p.stderr[-500:])
    if p.returncode == 0:
        sample = sorted(glob.glob(os.path.join(SOURCE, "corpus", "**", "*.eml"), recursive=True))[0]
        q = run([exe, sample], env=CLEAN_ENV)
        check(q.returncode == 0 and q.stdout.strip(), "the README's C example runs against the installed library")


def only_installed_targets(tmp):
    build = os.path.join(tmp, "configure-only")
    p = run(["meson", "setup", build, SOURCE, "-Dtests=disabled", "-Dbench=disabled", "--prefix", tmp + "/p"])
    check(p.returncode == 0, "meson setup -Dtests=disabled -Dbench=disabled" + p.stdout[-1000:])
    if p.returncode != 0:
        return
    targets = json.loads(run(["meson", "introspect", "--targets", build]).stdout)
    extra = [t["name"] for t in targets
             if os.path.relpath(t["defined_in"], SOURCE).split(os.sep)[0] in ("tests", "bench")]
    check(not extra, "with -Dtests=disabled -Dbench=disabled no test or benchmark is built (%s)" % extra[:5])


def main():
    with tempfile.TemporaryDirectory(prefix="carom-install.") as tmp:
        root, prefix = installed(os.path.join(tmp, "dest"))
        sample = programs(root)
        man_pages(root)
        python_package(root, prefix, sample)
        c_example(root, tmp)
        only_installed_targets(tmp)
    print("%d failed" % len(failures) if failures else "all passed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
