#!/usr/bin/env python3
"""Lists the longest Swift functions (lines from `func`/`init` to its closing brace), for code review.

Usage: scripts/function-lengths.py [--top N] [PATH ...]   (default: Sources, top 15)
Braces inside strings and comments are ignored well enough for this purpose; it is a measure, not a parser.
"""
import re
import sys
from pathlib import Path

DECL = re.compile(r'^\s*(?:@\w+\s+)*(?:(?:public|private|fileprivate|internal|package|static|final|override|'
                  r'mutating|nonmutating|convenience|required|@inlinable)\s+)*(?:func\s+\w+|init[?!]?)\s*[<(]')


def strip(line: str) -> str:
    line = re.sub(r'"(?:\\.|[^"\\])*"', '""', line)
    return line.split('//', 1)[0]


def functions(path: Path):
    lines = path.read_text(encoding='utf-8').splitlines()
    i = 0
    while i < len(lines):
        if DECL.match(lines[i]):
            depth, opened, j = 0, False, i
            while j < len(lines):
                code = strip(lines[j])
                depth += code.count('{') - code.count('}')
                opened = opened or '{' in code
                if opened and depth <= 0:
                    break
                j += 1
            if opened:
                name = re.search(r'(func\s+\w+|init[?!]?)', lines[i]).group(1)
                yield j - i + 1, f'{path}:{i + 1}', name
        i += 1


def main() -> None:
    args = sys.argv[1:]
    top = 15
    if args[:1] == ['--top']:
        top, args = int(args[1]), args[2:]
    found = []
    for root in args or ['Sources']:
        for path in sorted(Path(root).rglob('*.swift')):
            found.extend(functions(path))
    found.sort(reverse=True)
    for length, where, name in found[:top]:
        print(f'{length:5d}  {where}  {name}')


if __name__ == '__main__':
    main()
