# fusionai: two commands on a fresh machine.
#   make demo   installs what is missing, builds, and on generated example data runs
#               train, then run: prepare -> predict -> explain -> features -> report
#   make test   installs what is missing (libraries, chromium), checks style (scripts/lint.sh), builds, runs
#               the test suite (the report's browser check included, never skipped), and fuzzes every reader
#               with 300 fixed-seed inputs (make fuzz: 5 minutes each, growing a corpus)
#   make test-sanitize   the test suite under AddressSanitizer and ThreadSanitizer (scripts/test-sanitize.sh)

SWIFT ?= swift
EXAMPLE := example
BIN := .build/release/fusionai

.PHONY: all deps python-tools lint build test test-sanitize fuzz demo bench-prepare bench-predict clean

all: build

deps:
	@scripts/install-deps.sh

# Snakemake for workflow/Snakefile's test, in .venv/ (made only when missing or out of date).
python-tools:
	@scripts/python-tools.sh

build: deps
	$(SWIFT) build -c release --product fusionai

lint:
	@SWIFT=$(SWIFT) scripts/lint.sh

test: deps python-tools lint
	$(SWIFT) build --build-tests
	FUSIONAI_REQUIRE_BROWSER=1 $(SWIFT) test --skip-build
	SWIFT=$(SWIFT) scripts/fuzz.sh --smoke 300

# The whole test suite under AddressSanitizer, then under ThreadSanitizer, each in a build folder of its own
# (.build/sanitize-*); not part of `make test` (two more builds and runs of the suite).
test-sanitize: deps python-tools
	SWIFT=$(SWIFT) scripts/test-sanitize.sh

# Coverage-guided fuzzing of every reader (libFuzzer + AddressSanitizer), 5 minutes a harness.
fuzz: deps
	SWIFT=$(SWIFT) scripts/fuzz.sh 300

demo: build
	$(BIN) example --output $(EXAMPLE) --calls 400 --artefact-fraction 0.5
	$(BIN) prepare --genome $(EXAMPLE)/genome.fa $(EXAMPLE)/training.tsv -o $(EXAMPLE)/training.windows.tsv
	$(BIN) train $(EXAMPLE)/training.windows.tsv -o $(EXAMPLE)/model.safetensors --input-length 1000 \
		--first-filters 16 --second-filters 8 --optimizer adam --learning-rate 0.005 --epochs 40 --patience 5
	$(BIN) run $(EXAMPLE)/fusions.star-fusion.tsv --genome $(EXAMPLE)/genome.fa --model $(EXAMPLE)/model.safetensors \
		--features $(EXAMPLE)/features.tsv --threshold 0.9 --explain-max 5 --force -o $(EXAMPLE)/results
	scripts/check-report.sh $(EXAMPLE)/results/report.html
	@echo
	@echo "demo: in $(EXAMPLE)/results/: prepared.tsv (8 columns + 10-kb windows), predictions.tsv, fis/ (FIS tables,"
	@echo "demo: bedGraph, BED, SVG of the top-scoring calls), feat/ (feature landscape, enrichment, and per-fusion"
	@echo "demo: FIS over feature tracks), report.html (open it in a browser; it needs no network)."
	@echo "demo: the model (trained here on synthetic junctions vs artefacts; test metrics in model.safetensors.test.metrics.tsv)"
	@echo "demo: knows only this synthetic genome: real analyses need newdat_newmod_jj.h5 or a model trained on real data."
	@grep -E "^(accuracy|auroc)" $(EXAMPLE)/model.safetensors.test.metrics.tsv
	@head -4 $(EXAMPLE)/results/predictions.tsv | cut -f1,2,3,5,6,7,10,11
	@cut -f1-4,10,13 $(EXAMPLE)/results/feat/enrichment.tsv

bench-prepare: build
	benchmarks/prepare/run.sh

bench-predict: build
	benchmarks/predict/run.sh

clean:
	rm -rf .build $(EXAMPLE)
