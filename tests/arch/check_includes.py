#!/usr/bin/env python3
"""Check pesim's include graph and its silent library against docs/architecture.md.

    check_includes.py [--root DIR] [--doc FILE] [--graph]

Reads the rules from the doc (the blocks between `<!-- check_includes: NAME -->`
and `<!-- /check_includes: NAME -->`), then every C and C++ source under the
root (build folders and the doc's not-checked paths skipped), and reports

    FILE:LINE: error: folder X may not include Y (docs/architecture.md)
    FILE:LINE: error: library folder X may not print: ... (docs/architecture.md)
    DOC:LINE: error: allow-list entry ... no longer occurs ...

Exit status 0 when the tree obeys the doc, 1 when it does not, 2 when the doc
itself cannot be read as rules. `--graph` prints the folder-level include graph
found (what the table was derived from) and exits 0. Debian's python3 only.
"""

import argparse
import os
import re
import sys

SOURCE_EXTS = ('.c', '.h', '.cc', '.cpp', '.cxx', '.hh', '.hpp', '.hxx')
# A build folder (meson, ninja, cmake) holds one of these.
BUILD_MARKERS = ('meson-private', 'meson-info', 'build.ninja', 'CMakeCache.txt')
DOC_NAME = 'docs/architecture.md'

INCLUDE_RE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*"([^"\n]+)"', re.M)
TICKED_RE = re.compile(r'`([^`]+)`')
# Printing, in code with comments and string contents blanked: the stdio
# calls that write to the process's own streams, and any mention of those
# streams (fprintf(stderr, ...), fputs(s, stdout), isatty(STDERR_FILENO)).
# fprintf(out, ...) to a FILE the caller passed in is not printing.
PRINT_RE = re.compile(
    r'\b(?:printf|vprintf|puts|putchar|perror|dprintf|vdprintf|psignal|syslog)\s*\('
    r'|\bstd(?:out|err)\b|\bSTD(?:OUT|ERR)_FILENO\b|\b(?:cout|cerr|clog)\b')


class DocError(Exception):
    """The doc cannot be read as rules: at a line of it (0: no line)."""

    def __init__(self, line, msg=None):
        if msg is None:
            line, msg = 0, line
        super().__init__(msg)
        self.line = line


class Row:
    """One row of the rules table: a folder (key ends in '/') or one file."""

    def __init__(self, key, kind, entries, line, index):
        self.key = key
        self.kind = kind          # 'library' or 'program'
        self.entries = entries    # paths it may include (folders end in '/')
        self.line = line          # in the doc
        self.index = index        # position: rows may include only rows above
        self.used = set()         # entries some include used

    def covers(self, path):
        return path == self.key or (self.key.endswith('/') and path.startswith(self.key))

    def label(self):
        return ('folder ' if self.key.endswith('/') else '') + self.key


class Rules:
    def __init__(self):
        self.rows = []
        self.allow = {}       # (file, target) -> doc line
        self.allow_print = {}  # file -> doc line
        self.generated = set()
        self.not_checked = []
        self.search = []
        self.doc = DOC_NAME

    def row_of(self, path):
        best = None
        for r in self.rows:
            if r.covers(path) and (best is None or len(r.key) > len(best.key)):
                best = r
        return best


def entry_matches(entry, path):
    return path == entry or (entry.endswith('/') and path.startswith(entry))


def blocks(text):
    """{name: [(line, text), ...]} of every check_includes block."""
    out = {}
    open_name, start = None, 0
    for n, line in enumerate(text.split('\n'), 1):
        m = re.match(r'\s*<!--\s*(/?)check_includes:\s*([a-z-]+)\s*-->\s*$', line)
        if m:
            closing, name = m.group(1) == '/', m.group(2)
            if not closing:
                if open_name:
                    raise DocError(n, 'block %s opens inside block %s' % (name, open_name))
                if name in out:
                    raise DocError(n, 'block %s given twice' % (name))
                open_name, start = name, n
                out[name] = []
            else:
                if name != open_name:
                    raise DocError(n, 'block %s closes but %s is open' % (name, open_name))
                open_name = None
            continue
        if open_name:
            out[open_name].append((n, line))
    if open_name:
        raise DocError(start, 'block %s never closes' % open_name)
    return out


def table_rows(lines):
    """Cells of a Markdown table's body rows (header and rule skipped)."""
    rows = []
    for n, line in lines:
        s = line.strip()
        if not s.startswith('|'):
            continue
        cells = [c.strip() for c in s.strip('|').split('|')]
        if all(re.fullmatch(r':?-+:?', c) for c in cells):
            continue
        rows.append((n, cells))
    return rows[1:]  # the header


def bullets(lines):
    """The first ticked path of each bullet."""
    out = []
    for n, line in lines:
        if line.lstrip().startswith('- '):
            t = TICKED_RE.findall(line)
            if not t:
                raise DocError(n, 'bullet without a `path`')
            out.append((n, t[0]))
    return out


def load_rules(doc_path, doc_name):
    with open(doc_path, encoding='utf-8') as f:
        text = f.read()
    b = blocks(text)
    for need in ('rules', 'allow', 'generated', 'not-checked', 'search'):
        if need not in b:
            raise DocError('no <!-- check_includes: %s --> block' % need)
    rules = Rules()
    rules.doc = doc_name
    for n, cells in table_rows(b['rules']):
        if len(cells) < 3:
            raise DocError(n, 'a rules row needs | folder | kind | may include |')
        keys = TICKED_RE.findall(cells[0])
        if len(keys) != 1:
            raise DocError(n, 'the first cell must hold one `folder/` or `file`')
        kind = cells[1].strip('`* ')
        if kind not in ('library', 'program'):
            raise DocError(n, 'kind is library or program, got %r' % (cells[1]))
        entries = TICKED_RE.findall(cells[2])
        if any(r.key == keys[0] for r in rules.rows):
            raise DocError(n, '%s has two rows' % (keys[0]))
        rules.rows.append(Row(keys[0], kind, entries, n, len(rules.rows)))
    if not rules.rows:
        raise DocError('the rules table has no rows')
    # Layered: every entry names rows above its own, so the table has no cycle.
    for r in rules.rows:
        for e in r.entries:
            owner = rules.row_of(e)
            targets = ([owner] if owner else []) + \
                [t for t in rules.rows if e.endswith('/') and entry_matches(e, t.key)
                 and t is not owner and t is not r]
            if not targets:
                raise DocError(r.line, '%s may include %s, which no row covers' % (r.key, e))
            if any(t.index >= r.index for t in targets):
                raise DocError(r.line, '%s may include %s, which is not listed above it '
                               '(rows are layered: a row may include only rows above it)'
                               % (r.key, e))
    for n, cells in table_rows(b['allow']):
        if len(cells) < 4:
            raise DocError(n, 'an allow-list row needs | file | includes or prints | why | '
                           'removed by |')
        src = TICKED_RE.findall(cells[0])
        what = TICKED_RE.findall(cells[1])
        if len(src) != 1 or not cells[2] or not re.search(r'issue \d+', cells[3]):
            raise DocError(n, 'an allow-list row names one `file`, what it includes '
                           '(`header`) or prints (`prints`), why, and the issue that '
                           'removes it')
        for w in what:
            if w == 'prints':
                rules.allow_print[src[0]] = n
            else:
                rules.allow[(src[0], w)] = n
        if not what:
            raise DocError(n, 'an allow-list row needs the `header` or `prints`')
    rules.generated = {p for _, p in bullets(b['generated'])}
    rules.not_checked = [p for _, p in bullets(b['not-checked'])]
    rules.search = [p for _, p in bullets(b['search'])]
    return rules


def reach(rules, row, seen=None):
    """Entries a row may include: its own, and through each public header it
    names (a row under include/), that header's, transitively: a public
    header's declarations include what it includes."""
    if seen is None:
        seen = set()
    if row.key in seen:
        return []
    seen.add(row.key)
    out = list(row.entries)
    for e in row.entries:
        for t in rules.rows:
            if t.key.startswith('include/') and (t.key == e or entry_matches(e, t.key)):
                out += reach(rules, t, seen)
    return out


def strip(text, keep_strings):
    """Comments (and, unless keep_strings, string and character contents)
    replaced by spaces; newlines kept so that line numbers hold."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '/' and i + 1 < n and text[i + 1] == '/':
            j = text.find('\n', i)
            j = n if j < 0 else j
            out.append(' ' * (j - i))
            i = j
        elif c == '/' and i + 1 < n and text[i + 1] == '*':
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r'[^\n]', ' ', text[i:j]))
            i = j
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c and text[j] != '\n':
                j += 2 if text[j] == '\\' else 1
            j = min(j + 1, n)
            lit = text[i:j]
            out.append(lit if keep_strings else c + ' ' * max(len(lit) - 2, 0) + c)
            i = j
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def sources(root, rules):
    skip = [p.rstrip('/') for p in rules.not_checked]
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        rel = '' if rel == '.' else rel.replace(os.sep, '/')
        keep = []
        for d in sorted(dirnames):
            sub = (rel + '/' + d) if rel else d
            full = os.path.join(dirpath, d)
            if d.startswith('.') or sub in skip:
                continue
            if any(os.path.exists(os.path.join(full, m)) for m in BUILD_MARKERS):
                continue
            keep.append(d)
        dirnames[:] = keep
        for f in sorted(filenames):
            path = (rel + '/' + f) if rel else f
            if f.endswith(SOURCE_EXTS) and path not in skip:
                yield path


def resolve(root, rules, src, name):
    """The repository path an #include "name" in src names, or None. Like
    the compiler: the including file's folder, then the search folders."""
    dirs = [os.path.dirname(src)] + [s.rstrip('/') if s != './' else '' for s in rules.search]
    for d in dirs:
        p = os.path.normpath(os.path.join(d, name)).replace(os.sep, '/')
        if p.startswith('../'):
            continue
        if os.path.isfile(os.path.join(root, p)) or p in rules.generated:
            return p
    return None


def check(root, rules, graph=False):
    errors = []
    seen_allow, seen_print, occurs = set(), set(), set()
    edges = {}
    reaches = {r.key: reach(rules, r) for r in rules.rows}
    for path in sources(root, rules):
        row = rules.row_of(path)
        if row is None:
            errors.append('%s: error: no row of the table in %s covers this file: add its folder'
                          % (path, rules.doc))
            continue
        try:
            with open(os.path.join(root, path), encoding='utf-8', errors='replace') as f:
                text = f.read()
        except OSError as e:
            errors.append('%s: error: cannot read: %s' % (path, e.strerror))
            continue
        code = strip(text, keep_strings=True)
        for m in INCLUDE_RE.finditer(code):
            line = code.count('\n', 0, m.start()) + 1
            name = m.group(1)
            target = resolve(root, rules, path, name)
            if target is None:
                errors.append('%s:%d: error: "%s" is no file of the tree (a generated header '
                              'goes in the list of generated headers of %s)'
                              % (path, line, name, rules.doc))
                continue
            occurs.add((path, target))
            trow = rules.row_of(target)
            if trow is row:
                continue
            edges.setdefault(row.key, set()).add(trow.key if trow else target)
            direct = [e for e in row.entries if entry_matches(e, target)]
            for e in direct:
                row.used.add(e)
            if direct or any(entry_matches(e, target) for e in reaches[row.key]):
                continue
            if (path, target) in rules.allow:
                seen_allow.add((path, target))
                continue
            errors.append('%s:%d: error: %s may not include %s (%s)'
                          % (path, line, row.label(), target, rules.doc))
        if row.kind == 'library':
            bare = strip(text, keep_strings=False)
            for m in PRINT_RE.finditer(bare):
                if path in rules.allow_print:
                    seen_print.add(path)
                    break
                line = bare.count('\n', 0, m.start()) + 1
                errors.append('%s:%d: error: library %s may not print (%s): report through a '
                              'callback or diagnostics (%s)'
                              % (path, line, row.label(), m.group(0).rstrip('( '), rules.doc))
    for (src, target), n in sorted(rules.allow.items(), key=lambda x: x[1]):
        if (src, target) in occurs and (src, target) not in seen_allow:
            errors.append('%s:%d: error: allow-list entry %s -> %s is allowed by the table '
                          'now: remove it' % (rules.doc, n, src, target))
        elif (src, target) not in seen_allow:
            errors.append('%s:%d: error: allow-list entry %s -> %s no longer occurs: remove it'
                          % (rules.doc, n, src, target))
    for src, n in sorted(rules.allow_print.items(), key=lambda x: x[1]):
        if src not in seen_print:
            errors.append('%s:%d: error: allow-list entry %s prints no longer occurs: remove it'
                          % (rules.doc, n, src))
    if graph:
        for k in [r.key for r in rules.rows]:
            if k in edges:
                print('%s -> %s' % (k, ' '.join(sorted(edges[k]))))
        return 0
    warnings = ['%s:%d: warning: %s may include %s, but nothing does: tighten the row'
                % (rules.doc, r.line, r.key, e)
                for r in rules.rows for e in r.entries if e not in r.used]
    for w in warnings:
        print(w)
    for e in errors:
        print(e, file=sys.stderr)
    return 1 if errors else 0


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--root', default=os.path.normpath(os.path.join(here, '..', '..')),
                    help='the tree to check (default: this repository)')
    ap.add_argument('--doc', help='the rules (default: ROOT/' + DOC_NAME + ')')
    ap.add_argument('--graph', action='store_true',
                    help='print the include graph between rows and exit')
    a = ap.parse_args(argv)
    doc = a.doc or os.path.join(a.root, DOC_NAME)
    try:
        rules = load_rules(doc, DOC_NAME if not a.doc else a.doc)
    except OSError as e:
        print('%s: error: cannot read: %s' % (doc, e.strerror), file=sys.stderr)
        return 2
    except DocError as e:
        where = ':%d' % e.line if e.line else ''
        print('%s%s: error: %s' % (a.doc or DOC_NAME, where, e), file=sys.stderr)
        return 2
    return check(a.root, rules, graph=a.graph)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
