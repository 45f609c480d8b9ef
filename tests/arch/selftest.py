#!/usr/bin/env python3
"""The include check must reject what it is there to reject.

Runs check_includes.py on tests/arch/fixture/ with the real
docs/architecture.md and expects exactly: the fixture's forbidden include,
its printing library file, and one stale-entry error per allow-list entry
of the doc (the fixture holds none of the allowed files). Anything less
means the check can pass without checking; anything more means it flags
comments, strings or a caller's FILE *.
"""

import os
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import check_includes  # noqa: E402

ROOT = os.path.normpath(os.path.join(HERE, '..', '..'))
DOC = os.path.join(ROOT, 'docs', 'architecture.md')
FIXTURE = os.path.join(HERE, 'fixture')
NOTE = '(docs/architecture.md)'

EXPECTED = [
    'sim/kernel.c:3: error: folder sim/ may not include include/pesim/workload.h ' + NOTE,
    'dataflows/loud.c:6: error: library folder dataflows/ may not print (printf): '
    'report through a callback or diagnostics ' + NOTE,
]


def main():
    rules = check_includes.load_rules(DOC, 'docs/architecture.md')
    stale = ['docs/architecture.md:%d: error: allow-list entry %s -> %s no longer occurs: '
             'remove it' % (n, src, target) for (src, target), n in rules.allow.items()]
    stale += ['docs/architecture.md:%d: error: allow-list entry %s prints no longer occurs: '
              'remove it' % (n, src) for src, n in rules.allow_print.items()]
    p = subprocess.run([sys.executable, '-B', os.path.join(HERE, 'check_includes.py'),
                        '--root', FIXTURE, '--doc', DOC],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    got = [line for line in p.stderr.split('\n') if line]
    # The doc is given by its full path here; messages name it as given.
    got = [line.replace(DOC, 'docs/architecture.md') for line in got]
    failures = []
    if p.returncode != 1:
        failures.append('exit status %d, expected 1' % p.returncode)
    for want in EXPECTED + stale:
        if want not in got:
            failures.append('missing: ' + want)
    for line in got:
        if line not in EXPECTED and line not in stale:
            failures.append('unexpected: ' + line)
    if failures:
        print('check_includes.py on tests/arch/fixture/:', file=sys.stderr)
        for f in failures:
            print('  ' + f, file=sys.stderr)
        print('its output:\n' + p.stdout + p.stderr, file=sys.stderr)
        return 1
    print('rejected as expected: %d errors (%d of them stale allow-list entries)'
          % (len(got), len(stale)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
