#!/usr/bin/python3
"""Run the hostile-input regression corpus against a built pesim.

usage: run.py PESIM [--cases DIR] [--jobs N] [--timeout-scale X] [--sanitize]
              [--source-root DIR] [--keep] [-v] [CASE-SUBSTRING...]

Every tests/hostile/cases/*.case (format: tests/hostile/README.md) runs in a
fresh temporary folder with a time limit and, unless the binary is a
sanitizer build, a 1 GiB address-space limit. After each run the runner
checks the exit status, the expected substrings of stdout/stderr, that no
signal killed pesim, that no sanitizer reported anything, that no canary
file appeared, and the files the case names (absent, unchanged, device).
The last line is "N passed, N failed, N skipped"; the exit status is 1
when a case failed (or could not be parsed), else 0.

Standard library only: it runs from meson test on a bare Debian.
"""

import argparse
import concurrent.futures
import glob
import os
import re
import resource
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time

BASE_TIMEOUT_S = 5.0
MEMORY_LIMIT_BYTES = 1 << 30
CANARY_NAME = "pwned-canary"
KEYS = {"args", "exit", "stderr", "stdout", "absent", "unchanged", "device",
        "fifo", "cwd", "needs"}
# Text a sanitizer prints when it finds something; with halt_on_error the
# exit status alone would not say it was a sanitizer and not pesim.
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                   "runtime error:", "ERROR: UndefinedBehaviorSanitizer",
                   "WARNING: AddressSanitizer")
SECTION_RE = re.compile(rb"^--- (.+?)(?: \((escaped|repeat (\d+))\))?$")


class CaseError(Exception):
    """The case file itself is malformed."""


class Case:
    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)
        self.description = ""
        self.args = None
        self.exit = None
        self.stderr = []
        self.stdout = []
        self.absent = []
        self.unchanged = []
        self.devices = []
        self.fifos = []
        self.cwd = "scratch"
        self.needs = []
        self.files = {}  # name -> bytes, in the order first seen


def unescape(body):
    """\\xNN, \\n, \\r, \\t, \\0 and \\\\ in an escaped section (bytes)."""
    out = bytearray()
    i = 0
    while i < len(body):
        c = body[i]
        if c != 0x5C:  # backslash
            out.append(c)
            i += 1
            continue
        if i + 1 >= len(body):
            raise CaseError("escaped section ends in a lone backslash")
        e = body[i + 1:i + 2]
        if e == b"x":
            hexdigits = body[i + 2:i + 4]
            if len(hexdigits) != 2 or not re.fullmatch(rb"[0-9a-fA-F]{2}", hexdigits):
                raise CaseError("bad \\x escape: %r" % body[i:i + 4])
            out.append(int(hexdigits, 16))
            i += 4
            continue
        table = {b"n": 10, b"r": 13, b"t": 9, b"0": 0, b"\\": 0x5C}
        if e not in table:
            raise CaseError("unknown escape \\%s" % e.decode("latin-1"))
        out.append(table[e])
        i += 2
    return bytes(out)


def parse_case(path):
    case = Case(path)
    with open(path, "rb") as f:
        data = f.read()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    i = 0
    while i < len(lines) and not SECTION_RE.match(lines[i]):
        line = lines[i].decode("utf-8", "strict").rstrip("\r")
        i += 1
        if not line.strip():
            continue
        if line.startswith("#"):
            if not case.description:
                case.description = line[1:].strip()
            continue
        key, sep, value = line.partition(":")
        key = key.strip()
        value = value.strip()
        if not sep or key not in KEYS:
            raise CaseError("line %d: unknown header line %r" % (i, line))
        if key == "args":
            if case.args is not None:
                raise CaseError("args given twice")
            case.args = shlex.split(value)
        elif key == "exit":
            if not re.fullmatch(r"\d+", value):
                raise CaseError("exit: expected a number, got %r" % value)
            case.exit = int(value)
        elif key == "cwd":
            if value not in ("scratch", "source"):
                raise CaseError("cwd: expected scratch or source, got %r" % value)
            case.cwd = value
        elif key == "stderr":
            case.stderr.append(value)
        elif key == "stdout":
            case.stdout.append(value)
        elif key == "absent":
            case.absent.append(value)
        elif key == "unchanged":
            case.unchanged.append(value)
        elif key == "device":
            case.devices.append(value)
        elif key == "fifo":
            case.fifos.append(value)
        elif key == "needs":
            case.needs.append(value)
    if not case.description:
        raise CaseError("no '# description' line")
    if case.args is None:
        raise CaseError("no args: line")
    if case.exit is None:
        raise CaseError("no exit: line")
    name = None
    mode = None
    repeat = 1
    body = []

    def flush():
        if name is None:
            return
        if mode == "literal":
            content = b"".join(l + b"\n" for l in body)
        else:
            content = unescape(b"".join(body)) * repeat
        case.files[name] = case.files.get(name, b"") + content

    for line in lines[i:]:
        m = SECTION_RE.match(line)
        if m:
            flush()
            name = m.group(1).decode("utf-8")
            if name.startswith("/") or ".." in name.split("/"):
                raise CaseError("section name %r leaves the scratch folder" % name)
            if m.group(2) is None:
                mode, repeat = "literal", 1
            elif m.group(2) == b"escaped":
                mode, repeat = "escaped", 1
            else:
                mode, repeat = "escaped", int(m.group(3))
            body = []
        else:
            body.append(line)
    flush()
    return case


def expand_arg(arg, scratch):
    """@NAME (alone, or after '=') is a file of the scratch folder; @@ is a
    literal @; {canary} is the canary's path."""
    arg = arg.replace("{canary}", os.path.join(scratch, CANARY_NAME))
    if arg.startswith("@@"):
        return arg[1:]
    if arg.startswith("@") and len(arg) > 1:
        return os.path.join(scratch, arg[1:])
    m = re.match(r"^(--[A-Za-z-]+=)@([^@].*)$", arg)
    if m:
        return m.group(1) + os.path.join(scratch, m.group(2))
    return arg


def limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def no_core():
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def fifo_reader(path, sink):
    try:
        with open(path, "rb") as f:
            sink.append(f.read())
    except OSError as e:
        sink.append(("error: %s" % e).encode())


def release_fifo(path):
    """Wake a reader still blocked in open() when pesim never opened it."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
    except OSError:
        pass


def first_lines(text, n=6):
    lines = text.splitlines()
    out = "\n".join("      | " + l for l in lines[:n])
    if len(lines) > n:
        out += "\n      | ... (%d more lines)" % (len(lines) - n)
    return out or "      | (empty)"


def canary_files(scratch):
    found = []
    for root, dirs, files in os.walk(scratch):
        for n in dirs + files:
            if n.startswith("pwned"):
                found.append(os.path.join(root, n))
    found += glob.glob("/tmp/pesim-pwned*")
    return found


def run_case(case, opts):
    """Returns ('pass'|'fail'|'skip', message)."""
    for prog in case.needs:
        if shutil.which(prog) is None:
            return "skip", "needs %s, not on PATH" % prog
    if case.devices and os.geteuid() != 0:
        return "skip", "device: needs root (mknod)"
    scratch = tempfile.mkdtemp(prefix="pesim-hostile-")
    try:
        return run_in(case, opts, scratch)
    finally:
        if opts.keep:
            print("kept %s: %s" % (case.name, scratch), flush=True)
        else:
            shutil.rmtree(scratch, ignore_errors=True)


def run_in(case, opts, scratch):
    for name, content in case.files.items():
        p = os.path.join(scratch, name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(content)
    for name in case.devices:
        p = os.path.join(scratch, name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        os.mknod(p, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    before = {}
    for name in case.unchanged:
        p = os.path.join(scratch, name)
        try:
            with open(p, "rb") as f:
                before[name] = f.read()
        except OSError as e:
            return "fail", "unchanged: %s cannot be read before the run: %s" % (name, e)
    readers = []
    for name in case.fifos:
        p = os.path.join(scratch, name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        os.mkfifo(p)
        sink = []
        t = threading.Thread(target=fifo_reader, args=(p, sink), daemon=True)
        t.start()
        readers.append((p, t))

    argv = [opts.pesim] + [expand_arg(a, scratch) for a in case.args]
    cwd = scratch if case.cwd == "scratch" else opts.source_root
    env = dict(os.environ)
    env["LC_ALL"] = "C"
    env["TMPDIR"] = scratch
    timeout = BASE_TIMEOUT_S * opts.timeout_scale
    start = time.monotonic()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=no_core if opts.sanitize else limit_memory,
                            start_new_session=True)
    timed_out = False
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
    elapsed = time.monotonic() - start
    for p, t in readers:
        release_fifo(p)
        t.join(2)
    rc = proc.returncode
    out_s = out.decode("utf-8", "replace")
    err_s = err.decode("utf-8", "replace")

    problems = []
    if timed_out:
        problems.append("timed out after %.1f s (limit %.1f s)" % (elapsed, timeout))
    elif rc < 0:
        problems.append("killed by signal %s" % signal.Signals(-rc).name)
    elif rc != case.exit:
        problems.append("exit %d, expected %d" % (rc, case.exit))
    for mark in SANITIZER_MARKS:
        if mark in err_s:
            problems.append("sanitizer report (%s)" % mark)
            break
    for s in case.stderr:
        if s not in err_s:
            problems.append("stderr lacks %r" % s)
    for s in case.stdout:
        if s not in out_s:
            problems.append("stdout lacks %r" % s)
    for name in case.absent:
        if os.path.lexists(os.path.join(scratch, name)):
            problems.append("%s exists, expected absent" % name)
    for name, data in before.items():
        p = os.path.join(scratch, name)
        try:
            with open(p, "rb") as f:
                now = f.read()
        except OSError as e:
            problems.append("%s is gone (%s), expected unchanged" % (name, e))
            continue
        if now != data:
            problems.append("%s changed (%d bytes, was %d)" % (name, len(now), len(data)))
    for name in case.devices:
        p = os.path.join(scratch, name)
        try:
            if not stat.S_ISCHR(os.lstat(p).st_mode):
                problems.append("%s is no longer a character device" % name)
        except OSError as e:
            problems.append("%s is gone (%s), expected a character device" % (name, e))
    for p, _ in readers:
        try:
            if not stat.S_ISFIFO(os.lstat(p).st_mode):
                problems.append("%s is no longer a FIFO" % os.path.basename(p))
        except OSError as e:
            problems.append("FIFO %s is gone (%s)" % (os.path.basename(p), e))
    for p in canary_files(scratch):
        problems.append("canary exists: %s" % p)
        if p.startswith("/tmp/pesim-pwned"):
            # Remove it so that the next case does not inherit the failure.
            shutil.rmtree(p, ignore_errors=True) if os.path.isdir(p) else os.unlink(p)
    if problems:
        msg = "; ".join(problems)
        msg += "\n    %s\n    command: %s\n    stderr:\n%s" % (
            case.description, shlex.join(argv), first_lines(err_s))
        if case.stdout:
            msg += "\n    stdout:\n%s" % first_lines(out_s)
        return "fail", msg
    return "pass", "%.2f s" % elapsed


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pesim", help="the pesim binary to test")
    ap.add_argument("filters", nargs="*",
                    help="run only cases whose file name contains one of these")
    ap.add_argument("--cases", default=os.path.join(here, "cases"),
                    help="folder of *.case files (default: next to this script)")
    ap.add_argument("--jobs", "-j", type=int, default=2)
    ap.add_argument("--timeout-scale", type=float,
                    default=float(os.environ.get("PESIM_HOSTILE_TIMEOUT_SCALE", "0") or 0),
                    help="multiply the 5 s limit per case (env "
                         "PESIM_HOSTILE_TIMEOUT_SCALE; default 1, 4 with --sanitize)")
    ap.add_argument("--sanitize", action="store_true",
                    help="the binary is a sanitizer build: no address-space limit "
                         "(ASan reserves terabytes), longer time limits")
    ap.add_argument("--source-root", default=os.path.dirname(os.path.dirname(here)),
                    help="working folder of cases with 'cwd: source'")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folders")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every case")
    opts = ap.parse_args()
    if opts.timeout_scale <= 0:
        opts.timeout_scale = 4.0 if opts.sanitize else 1.0
    opts.pesim = os.path.abspath(opts.pesim)
    if not os.access(opts.pesim, os.X_OK):
        print("run.py: error: %s is not an executable" % opts.pesim, file=sys.stderr)
        return 2
    stale = glob.glob("/tmp/pesim-pwned*")
    if stale:
        print("run.py: error: canaries exist before any case ran: %s" % ", ".join(stale),
              file=sys.stderr)
        return 2

    paths = sorted(glob.glob(os.path.join(opts.cases, "*.case")))
    if opts.filters:
        paths = [p for p in paths if any(f in os.path.basename(p) for f in opts.filters)]
    if not paths:
        print("run.py: error: no cases in %s" % opts.cases, file=sys.stderr)
        return 2

    results = {}
    cases = []
    for p in paths:
        try:
            cases.append(parse_case(p))
        except (CaseError, UnicodeDecodeError, ValueError) as e:
            results[os.path.basename(p)] = ("fail", "malformed case: %s" % e)

    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as pool:
        futures = {pool.submit(run_case, c, opts): c for c in cases}
        for fut in concurrent.futures.as_completed(futures):
            c = futures[fut]
            try:
                results[c.name] = fut.result()
            except Exception as e:  # a runner bug must not hide the other cases
                results[c.name] = ("fail", "runner error: %r" % e)
            if opts.verbose:
                print("%-4s %s  %s" % (results[c.name][0], c.name,
                                       results[c.name][1].split("\n")[0]), flush=True)
    wall = time.monotonic() - start

    counts = {"pass": 0, "fail": 0, "skip": 0}
    for name in sorted(results):
        status, msg = results[name]
        counts[status] += 1
        if status == "fail":
            print("FAIL %s: %s" % (os.path.join(opts.cases, name), msg))
        elif status == "skip":
            print("skip %s: %s" % (name, msg))
    print("(%d cases in %.1f s, %d jobs, time limit %.1f s each%s)" % (
        len(results), wall, opts.jobs, BASE_TIMEOUT_S * opts.timeout_scale,
        ", sanitizer build" if opts.sanitize else ", 1 GiB address space"))
    print("%d passed, %d failed, %d skipped" % (counts["pass"], counts["fail"], counts["skip"]))
    return 1 if counts["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
