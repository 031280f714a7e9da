# fusionai: two commands on a fresh machine.
#   make demo   installs what is missing, builds, runs prepare -> predict -> explain on generated example data
#   make test   installs what is missing, builds, runs the test suite

SWIFT ?= swift
EXAMPLE := example
BIN := .build/release/fusionai

.PHONY: all deps build test demo bench-prepare bench-predict clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release --product fusionai

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

demo: build
	$(BIN) example --output $(EXAMPLE)
	$(BIN) prepare --genome $(EXAMPLE)/genome.fa --header \
		--qc $(EXAMPLE)/prepared.qc.tsv --rejects $(EXAMPLE)/prepared.rejects.tsv --fasta $(EXAMPLE)/prepared.fa \
		$(EXAMPLE)/fusions.star-fusion.tsv -o $(EXAMPLE)/prepared.tsv
	$(BIN) init-model --seed 1 -o $(EXAMPLE)/untrained-fusionai.safetensors
	$(BIN) predict --model $(EXAMPLE)/untrained-fusionai.safetensors $(EXAMPLE)/prepared.tsv -o $(EXAMPLE)/predictions.tsv
	$(BIN) explain --model $(EXAMPLE)/untrained-fusionai.safetensors --genome $(EXAMPLE)/genome.fa \
		$(EXAMPLE)/fusions.star-fusion.tsv --rows 1-3 -o $(EXAMPLE)/explain
	@echo
	@echo "demo: results in $(EXAMPLE)/: prepared.tsv (8 columns + 10-kb head and tail windows),"
	@echo "demo: prepared.qc.tsv (per-row QC), predictions.tsv (probabilities), explain/ (FIS tables, bedGraph, BED, SVG)"
	@echo "demo: the model is UNTRAINED (random weights), so its scores mean nothing"
	@head -4 $(EXAMPLE)/predictions.tsv

bench-prepare: build
	benchmarks/prepare/run.sh

bench-predict: build
	benchmarks/predict/run.sh

clean:
	rm -rf .build $(EXAMPLE)
