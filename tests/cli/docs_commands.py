"""Every command of the docs runs as written (docs/cli.md, "The docs' commands").

usage: docs_commands.py PESIM [--list] [PAGE...]

Reads the ```sh blocks of README.md and docs/*.md (or the PAGEs named,
relative to the top of the source tree: the current folder) and runs each
command with `sh -c`, as a reader would from the top of a checkout with
pesim installed: in a fresh scratch folder per page, whose docs/,
examples/, tests/, ... are links to the source tree's, with PATH starting
with a folder that holds only a link to PESIM (the build's, so that the
suite needs no `meson install`). A page's commands run in order in its
folder, so a later one reads what an earlier one wrote.

What a command is:
- in a block with "$ " prompts, each "$ " line (the other lines are its
  output); in a block without, each line that is not blank or a comment;
- a line ending in "\\" goes on on the next.
Markers, as comments at the end of a command:
- "# exit N": the command must exit N (an error example), else 0;
- "# not run by the docs test: WHY": skipped, and listed with WHY; as a
  comment line of its own it skips the rest of its block.
Commands that need ONNX are skipped when the build has none
(PESIM_HAVE_ONNX=0). --list prints the commands and markers, runs nothing.
Exit 0 when every command run exited as marked, else 1.
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = "# not run by the docs test:"
EXIT = re.compile(r"#\s*exit (\d+)\s*$")
# What the commands name from the top of a checkout.
LINKED = ["docs", "examples", "tests", "workloads", "configs", "scripts", "bench"]
TIMEOUT_S = 300


class Command:
    def __init__(self, page, line, text):
        self.page, self.line, self.text = page, line, text
        m = EXIT.search(text)
        self.status = int(m.group(1)) if m else 0
        self.skip = text.split(SKIP, 1)[1].strip() if SKIP in text else None

    def where(self):
        return "%s:%d" % (self.page, self.line)


def blocks(page, text):
    """Each ```sh block as a list of (line number, line)."""
    block, out = None, []
    for n, line in enumerate(text.split("\n"), 1):
        if line.startswith("```"):
            if block is None and line.strip() == "```sh":
                block = []
            elif block is not None:
                out.append(block)
                block = None
            continue
        if block is not None:
            block.append((n, line))
    if block is not None:
        sys.exit("%s: a ```sh block is not closed" % page)
    return out


def commands(page, text):
    """The commands of one page, in order."""
    out = []
    for block in blocks(page, text):
        prompted = any(l.startswith("$ ") for _, l in block)
        skip_rest = None
        pending = None
        for n, line in block:
            if pending is not None:
                pending[1] += "\n" + line
            elif prompted and line.startswith("$ "):
                pending = [n, line[2:]]
            elif not prompted and line.strip().startswith(SKIP):
                skip_rest = line.strip()
                continue
            elif not prompted and line.strip() and not line.lstrip().startswith("#"):
                pending = [n, line]
            if pending is not None and not line.endswith("\\"):
                c = Command(page, pending[0], pending[1])
                if skip_rest and not c.skip:
                    c.skip = skip_rest.split(SKIP, 1)[1].strip()
                out.append(c)
                pending = None
    return out


def scratch(src, bin_dir):
    d = tempfile.mkdtemp(prefix="pesim-docs-")
    for name in LINKED:
        if os.path.exists(os.path.join(src, name)):
            os.symlink(os.path.join(src, name), os.path.join(d, name))
    return d


def run_page(src, env, bin_dir, cmds, report):
    """Run one page's commands in a new scratch folder; the failures."""
    d = scratch(src, bin_dir)
    failed = []
    try:
        for c in cmds:
            t = time.monotonic()
            try:
                r = subprocess.run(["sh", "-c", c.text], cwd=d, env=env, stdin=subprocess.DEVNULL,
                                   capture_output=True, timeout=TIMEOUT_S)
                status, out, err = r.returncode, r.stdout, r.stderr
            except subprocess.TimeoutExpired as e:
                status, out, err = "timeout", e.stdout or b"", e.stderr or b""
            el = time.monotonic() - t
            ok = status == c.status
            report("%s %5.1f s  %s  %s" % ("ok  " if ok else "FAIL", el, c.where(),
                                           c.text.split("\n")[0][:100]))
            if not ok:
                failed.append(c)
                report("  exit %s, expected %d\n  --- stdout:\n%s\n  --- stderr:\n%s" % (
                    status, c.status, out.decode(errors="replace")[-3000:],
                    err.decode(errors="replace")[-3000:]))
    finally:
        shutil.rmtree(d, ignore_errors=True)
    return failed


def main(argv):
    args = [a for a in argv[1:] if a != "--list"]
    if not args:
        sys.exit(__doc__)
    pesim, pages = os.path.abspath(args[0]), args[1:]
    src = os.getcwd()
    if not pages:
        pages = ["README.md"] + sorted(os.path.relpath(p, src)
                                       for p in glob.glob(os.path.join(src, "docs", "*.md")))
    by_page = [(p, commands(p, open(os.path.join(src, p), encoding="utf-8").read()))
               for p in pages]
    no_onnx = os.environ.get("PESIM_HAVE_ONNX") == "0"
    if "--list" in argv:
        for _, cmds in by_page:
            for c in cmds:
                mark = "skip (%s)" % c.skip if c.skip else "exit %d" % c.status
                print("%s  %s  %s" % (c.where(), mark, c.text))
        return 0

    bin_dir = tempfile.mkdtemp(prefix="pesim-docs-bin-")
    os.symlink(pesim, os.path.join(bin_dir, "pesim"))
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""))
    t0 = time.monotonic()
    ran, skipped, failed = 0, [], []
    try:
        for page, cmds in by_page:
            todo = []
            for c in cmds:
                if not c.skip and no_onnx and (".onnx" in c.text or "make_onnx" in c.text):
                    c.skip = "this build has no ONNX"
                (skipped if c.skip else todo).append(c)
            ran += len(todo)
            failed += run_page(src, env, bin_dir, todo, lambda s: print(s, flush=True))
    finally:
        shutil.rmtree(bin_dir, ignore_errors=True)
    print("\nskipped:")
    for c in skipped:
        print("  %s  %s" % (c.where(), c.skip))
    print("\n%d commands run, %d skipped, %d failed, in %.1f s" % (
        ran, len(skipped), len(failed), time.monotonic() - t0))
    for c in failed:
        print("FAILED %s  %s" % (c.where(), c.text.split("\n")[0]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
