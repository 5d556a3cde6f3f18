# The export service: make run (the main job on the local stack), make test.
SHELL := /bin/bash
GO ?= go
NODE_DIR := internal/local/node
WEED_BIN_FILE := .local/weed-bin
FUNCTIONS := $(notdir $(wildcard functions/*))

.PHONY: help run test deps build lint bench bench-go fuzz lambdas clean

help:
	@echo "make run    - start the local stack, seed 1,000,000 demo events, export them, keep serving (Ctrl-C stops)"
	@echo "make test   - every test, including end-to-end on the local stack and the template/ASL validators"
	@echo "make bench  - encoder throughput beside jq and Python baselines, measured in the same run"
	@echo "make lint   - cfn-lint on template.yaml, asl-validator on the state machine"
	@echo "make fuzz   - a short fuzzing session of each parser and encoder target"

## deps: what the local stack needs; installed by the project, cached outside the tree.
deps: $(NODE_DIR)/node_modules/.installed $(WEED_BIN_FILE)
	@command -v moto_server >/dev/null || { echo "moto_server (KMS stand-in) is missing: pip install 'moto[server]'"; exit 1; }
	@command -v jq >/dev/null || { echo ">> installing jq"; (apt-get update -qq && apt-get install -y -qq jq) >/dev/null; }

$(NODE_DIR)/node_modules/.installed: $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json
	@echo ">> installing dynalite, aws-local-stepfunctions and asl-validator (npm ci)"
	@cd $(NODE_DIR) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(WEED_BIN_FILE): scripts/install-weed.sh
	@mkdir -p .local
	@bash scripts/install-weed.sh > $@.tmp && mv $@.tmp $@

build:
	@mkdir -p bin
	$(GO) build -o bin/exportd ./cmd/exportd
	$(GO) build -o bin/exportctl ./cmd/exportctl

run: deps build
	@WEED_BIN=$$(cat $(WEED_BIN_FILE)) bash scripts/run-demo.sh

# Every package under the race detector; then the 3,000,000-event round
# trip, which -short skips, at full speed (under -race it takes ~10 minutes).
test: deps
	$(GO) vet ./...
	WEED_BIN=$$(cat $(WEED_BIN_FILE)) $(GO) test -race -short -count=1 -timeout 30m ./...
	WEED_BIN=$$(cat $(WEED_BIN_FILE)) $(GO) test -count=1 -timeout 20m -run 'TestRoundTripOfThreeMillionEvents' ./internal/e2e/

lint: deps
	cfn-lint template.yaml
	node $(NODE_DIR)/node_modules/asl-validator/dist/bin/asl-validator.js --json-path statemachine/export.asl.json

bench: deps
	set -o pipefail; EXPORT_BENCH=1 $(GO) test -run '^TestBenchCompare$$' -count=1 -v -timeout 60m ./internal/encode/ | grep -E '^bench |^info |^ok|FAIL'

bench-go:
	$(GO) test -run '^$$' -bench . -benchmem ./internal/encode/ ./internal/query/ ./internal/synth/

fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime 30s ./internal/query/
	$(GO) test -run '^$$' -fuzz '^FuzzMatch$$' -fuzztime 30s ./internal/query/
	$(GO) test -run '^$$' -fuzz '^FuzzLine$$' -fuzztime 30s ./internal/encode/
	$(GO) test -run '^$$' -fuzz '^FuzzEncode$$' -fuzztime 30s ./internal/encode/
	$(GO) test -run '^$$' -fuzz '^FuzzGlob$$' -fuzztime 30s ./internal/query/
	$(GO) test -run '^$$' -fuzz '^FuzzEventTime$$' -fuzztime 30s ./internal/encode/
	$(GO) test -run '^$$' -fuzz '^FuzzParseRFC3339$$' -fuzztime 30s ./internal/event/

## lambdas: arm64 bootstrap binaries for provided.al2023, one per function.
lambdas:
	@for f in $(FUNCTIONS); do \
	  mkdir -p .aws-sam/build/$$f && \
	  GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build -tags lambda.norpc -trimpath -o .aws-sam/build/$$f/bootstrap ./functions/$$f || exit 1; \
	done; echo "built .aws-sam/build/*/bootstrap"

clean:
	rm -rf bin .local/data .local/demo .aws-sam
