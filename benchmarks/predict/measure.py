#!/usr/bin/env python3
"""Runs a command; prints its wall time (s) and peak resident memory (MiB) as TSV on stdout."""
import resource
import subprocess
import sys
import time

start = time.monotonic()
result = subprocess.run(sys.argv[1:])
wall = time.monotonic() - start
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
if result.returncode != 0:
    sys.exit(f"measure: {' '.join(sys.argv[1:])} exited {result.returncode}")
print(f"{wall:.3f}\t{peak_kib / 1024:.1f}")
