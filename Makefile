# fusionai: two commands on a fresh machine.
#   make demo   installs what is missing, builds, and on generated example data runs
#               prepare -> train -> predict -> explain
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
	$(BIN) example --output $(EXAMPLE) --calls 400 --artefact-fraction 0.5
	$(BIN) prepare --genome $(EXAMPLE)/genome.fa --header \
		--qc $(EXAMPLE)/prepared.qc.tsv --rejects $(EXAMPLE)/prepared.rejects.tsv --fasta $(EXAMPLE)/prepared.fa \
		$(EXAMPLE)/fusions.star-fusion.tsv -o $(EXAMPLE)/prepared.tsv
	$(BIN) prepare --genome $(EXAMPLE)/genome.fa $(EXAMPLE)/training.tsv -o $(EXAMPLE)/training.windows.tsv
	$(BIN) train $(EXAMPLE)/training.windows.tsv -o $(EXAMPLE)/model.safetensors --input-length 1000 \
		--first-filters 16 --second-filters 8 --optimizer adam --learning-rate 0.005 --epochs 40 --patience 5
	$(BIN) predict --model $(EXAMPLE)/model.safetensors $(EXAMPLE)/prepared.tsv -o $(EXAMPLE)/predictions.tsv
	$(BIN) explain --model $(EXAMPLE)/model.safetensors --genome $(EXAMPLE)/genome.fa \
		$(EXAMPLE)/fusions.star-fusion.tsv --rows 1-3 -o $(EXAMPLE)/explain
	@echo
	@echo "demo: results in $(EXAMPLE)/: prepared.tsv (8 columns + 10-kb head and tail windows), prepared.qc.tsv,"
	@echo "demo: model.safetensors (trained here on the synthetic calls: junctions vs artefacts; test metrics in"
	@echo "demo: model.safetensors.test.metrics.tsv), predictions.tsv, explain/ (FIS tables, bedGraph, BED, SVG)."
	@echo "demo: the model knows only this synthetic genome: real analyses need newdat_newmod_jj.h5 or a model trained on real data."
	@grep -E "^(accuracy|auroc)" $(EXAMPLE)/model.safetensors.test.metrics.tsv
	@head -4 $(EXAMPLE)/predictions.tsv | cut -f1-8,9-

bench-prepare: build
	benchmarks/prepare/run.sh

bench-predict: build
	benchmarks/predict/run.sh

clean:
	rm -rf .build $(EXAMPLE)
