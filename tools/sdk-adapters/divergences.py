"""What the per-SDK known-divergences.py generators share: reading the corpus cases and
`ecs-ramrole check --report json` reports, and writing known-divergences.txt from the
causes an SDK's rules give. Each generator keeps only its header and its rules.
Python standard library only."""

import json
import os
import sys
from collections import Counter, OrderedDict

MISS = {'fail', 'warn', 'crash', 'xfail', 'xpass'}

# The corpus folder, from the command line (set by `main`).
_corpus = None


def load_case(cid):
    with open(os.path.join(_corpus, cid + '.json')) as f:
        return json.load(f)


def ctx(case):
    return (case.get('input') or {}).get('context') or {}


def signing(case):
    return ctx(case).get('signing')


def huge_int(case):
    p = (case.get('input') or {}).get('params') or {}
    return any(isinstance(p.get(k), int) and abs(p[k]) > 2**53 for k in ('OwnerId', 'ResourceOwnerId'))


def http(case):
    return case.get('http') or {}


def body_bytes(case):
    d = os.path.dirname(os.path.join(_corpus, case['id']))
    with open(os.path.join(d, case['body_file']), 'rb') as f:
        return f.read()


def main(header, rules):
    """usage: known-divergences.py CORPUS_DIR REPORT.json [REPORT.json ...]

    Gives every miss (fail, warn, crash, xfail, xpass) of every report the cause
    `rules(case, verdict, expect)` names. Prints the file on stdout and a count per cause
    on stderr; exits 1 when a miss matches no rule or gets two different causes in two
    reports."""
    global _corpus
    _corpus, reports = sys.argv[1], sys.argv[2:]
    causes = OrderedDict()
    unclassified = []
    for path in reports:
        with open(path) as f:
            report = json.load(f)
        for x in report['cases']:
            if x['status'] not in MISS:
                continue
            case = load_case(x['id'])
            why = rules(case, x.get('verdict') or {}, case['expect'])
            if why is None:
                unclassified.append((path, x['id'], x.get('detail')))
                continue
            prev = causes.get(x['id'])
            if prev and prev != why:
                unclassified.append((path, x['id'], f'two causes: {prev!r} / {why!r}'))
            causes[x['id']] = why

    print(header)
    print()
    for cid in sorted(causes):
        print(f'{cid}  # {causes[cid]}')
    for why, n in Counter(causes.values()).most_common():
        print(f'{n:4d}  {why}', file=sys.stderr)
    for path, cid, detail in unclassified:
        print(f'UNCLASSIFIED {os.path.basename(path)} {cid}: {(detail or "")[:200]}', file=sys.stderr)
    sys.exit(1 if unclassified else 0)
