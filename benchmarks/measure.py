#!/usr/bin/env python3
"""Runs a command; prints its wall time (s), peak resident memory (MiB) and CPU time (user + system,
s, all threads) as TSV on stdout. CPU time is less sensitive than wall time to other load."""
import resource
import subprocess
import sys
import time

start = time.monotonic()
result = subprocess.run(sys.argv[1:])
wall = time.monotonic() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
if result.returncode != 0:
    sys.exit(f"measure: {' '.join(sys.argv[1:])} exited {result.returncode}")
print(f"{wall:.3f}\t{usage.ru_maxrss / 1024:.1f}\t{usage.ru_utime + usage.ru_stime:.2f}")
