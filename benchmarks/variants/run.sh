#!/usr/bin/env bash
# variants benchmark: `fusionai variants` on a 10,000-record VCF over 1,000 fusions, one pass, as
# plain VCF (read whole), bgzip VCF + .tbi and BCF + .csi (region queries), with a small network
# (the cost of reading, applying and windowing) and, on the first 1,000 records, the full-size
# FusionAI network (what a user waits for); and the same 10,000 records diluted in a genome-wide VCF, where region queries read
# only the records near the windows. Outputs of the three VCF forms must be identical.
# Not run by CI. Usage: benchmarks/variants/run.sh   (THREADS=2; FULL=0 skips the full-size network)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work="$here/work"
threads=${THREADS:-2}
full=${FULL:-1}
mkdir -p "$work"
(cd "$root" && swift build -c release --product fusionai >/dev/null)
bin="$work/fusionai"
cp -p "$root/.build/release/fusionai" "$bin"
for tool in bgzip tabix bcftools; do
    command -v $tool >/dev/null || apt-get install -y -qq tabix bcftools >/dev/null \
        || { echo "needs $tool (Debian: tabix, bcftools)" >&2; exit 1; }
done

if [ ! -f "$work/genome.fa" ]; then
    "$bin" example -q -o "$work" --chromosomes 4 --length 5000000 --genes-per-chromosome 150 --calls 1000
fi
"$bin" prepare -q "$work/fusions.star-fusion.tsv" --header -o "$work/fusions.tsv"
python3 "$here/make_vcf.py" "$work/genome.fa" "$work/fusions.tsv" 9000 1000 "$work/v.vcf"
python3 "$here/make_vcf.py" "$work/genome.fa" "$work/fusions.tsv" 9000 491000 "$work/wide.vcf"
# The full-size network scores ~30 pairs/s on 2 cores: it gets the VCF's first 1,000 records.
awk '/^#/ { print; next } n++ < 1000' "$work/v.vcf" > "$work/v1k.vcf"
for v in v wide v1k; do
    bgzip -f -k "$work/$v.vcf" && tabix -f -p vcf "$work/$v.vcf.gz"
    bcftools view -Ob -o "$work/$v.bcf" "$work/$v.vcf" && bcftools index -f "$work/$v.bcf"
done
"$bin" init-model -o "$work/small.safetensors" --input-length 600 --first-filters 8 --second-filters 4 >/dev/null
"$bin" init-model -o "$work/full.safetensors" >/dev/null
# The genome's .fai is built outside the timings.
"$bin" prepare -q -g "$work/genome.fa" <(head -n 2 "$work/fusions.tsv") -o /dev/null

results="$here/results.tsv"
printf 'model\tvcf\tvcf_records\trecords_read\tregion_queries\tvariants_in_windows\tpairs_scored\tskipped\tthreads\tseconds\tvariants_per_s\tpairs_per_s\tpeak_MiB\tcpu_s\n' > "$results"
run() {  # model vcf-file label
    local model=$1 vcf=$2 label=$3 out="$work/out.$(basename "$2").$1.tsv" log="$work/log.$(basename "$2").$1.txt"
    sync
    local m s mem cpu; m=$(python3 "$here/../measure.py" bash -c \
        "'$bin' variants --threads $threads --vcf '$vcf' -g '$work/genome.fa' -m '$work/$model.safetensors' '$work/fusions.tsv' -o '$out' 2> '$log'")
    IFS=$'\t' read -r s mem cpu <<< "$m"
    local summary; summary=$(grep -E 'VCF record\(s\) read' "$log")
    local read queries variants pairs skipped total
    read=$(sed -E 's/.* ([0-9]+) VCF record.*/\1/' <<< "$summary")
    queries=$(grep -oE 'in [0-9]+ region queries' <<< "$summary" | grep -oE '[0-9]+' || echo 0)
    variants=$(sed -E 's/.* ([0-9]+) variant\(s\) in windows.*/\1/' <<< "$summary")
    pairs=$(sed -E 's/.* ([0-9]+) \(variant, window\).*/\1/' <<< "$summary")
    skipped=$( (grep -oE '[0-9]+ variant\(s\) skipped' "$log" || true) | awk '{s += $1} END {print s + 0}')
    total=$(grep -vc '^#' "$work/$label.vcf")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.1f\t%.1f\t%s\t%s\n' "$model" "$(basename "$vcf")" "$total" \
        "$read" "$queries" "$variants" "$pairs" "$skipped" "$threads" "$s" "$(echo "$variants / $s" | bc -l)" \
        "$(echo "$pairs / $s" | bc -l)" "$mem" "$cpu" | tee -a "$results"
}
for f in v.vcf v.vcf.gz v.bcf; do run small "$work/$f" v; done
for f in wide.vcf wide.vcf.gz; do run small "$work/$f" wide; done
[ "$full" = 0 ] || run full "$work/v1k.vcf.gz" v1k

# The same variants whatever the file's form, and diluted or not.
for f in "$work"/out.*.small.tsv; do cmp "$work/out.v.vcf.small.tsv" "$f"; done
echo "outputs identical: plain VCF, bgzip VCF + tbi, BCF + csi; 10,000 records alone or in $(grep -vc '^#' "$work/wide.vcf")"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
