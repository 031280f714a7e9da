#!/usr/bin/env bash
# Submits a Snakemake job script as its own detached process and prints its process id as the job id,
# as sbatch --parsable prints a SLURM job id. Snakemake's job script reports success or failure itself.
set -euo pipefail
jobscript="${!#}"
nohup bash "$jobscript" >/dev/null 2>&1 &
echo "$!"
