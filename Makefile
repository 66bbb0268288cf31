# ibmkg: the one front door. `make help` lists every target.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.stamp-install
IBMKG  := $(BIN)/ibmkg

.DEFAULT_GOAL := help
.PHONY: help venv run build validate test lint typecheck pytest canon check-canon bench bench-quick clean \
        imports mappings context generate check-generated

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

venv: $(STAMP) ## Create .venv and install ibmkg with its dev tools (only when pyproject.toml changed)

run: $(STAMP) ## Build everything into build/: validate, reason, run the stored queries, export
	$(IBMKG) build

build: run ## Same as run

validate: $(STAMP) ## Validate the graph against the shapes and the data checks
	$(IBMKG) validate

test: $(STAMP) ## Lint, type-check and run every test (doctests included); reports all three
	@status=0; \
	$(MAKE) --no-print-directory lint || status=1; \
	$(MAKE) --no-print-directory typecheck || status=1; \
	$(MAKE) --no-print-directory pytest || status=1; \
	if [ $$status -ne 0 ]; then echo "make test: some checks failed (see above)" >&2; fi; \
	exit $$status

lint: $(STAMP) ## ruff check on src and tests
	$(BIN)/ruff check src tests

typecheck: $(STAMP) ## mypy --strict on src and tests
	$(BIN)/mypy --strict src tests

pytest: $(STAMP) ## Run the tests and doctests
	$(BIN)/pytest

canon: $(STAMP) ## Rewrite the ontology, shapes and kg Turtle in canonical form
	$(IBMKG) canon

check-canon: $(STAMP) ## Fail if a committed Turtle file is not in canonical form
	$(IBMKG) canon --check

imports: $(STAMP) ## Build ontology/imports/*_import.ttl from the committed seed lists (offline)
	$(BIN)/python -m ibmkg.generate imports

mappings: imports ## Check ontology/mappings.sssom.tsv against the imports; write ontology/mappings.ttl
	$(BIN)/python -m ibmkg.generate mappings

context: $(STAMP) ## Write ontology/context.jsonld from the prefix map and the ontology's properties
	$(BIN)/python -m ibmkg.generate context

generate: imports mappings context ## Regenerate the import modules, mappings.ttl and context.jsonld

check-generated: $(STAMP) ## Fail if an import module, mappings.ttl or context.jsonld is stale
	$(BIN)/python -m ibmkg.generate all --check

bench: $(STAMP) ## Load, reason, validate, every stored query and export at 1k/10k/100k studies, bare engines alongside (hours); writes benchmarks/results.md and .png
	$(BIN)/python benchmarks/bench_scale.py --sizes 1000 10000 100000 --repeat 3 --budget 600 --out benchmarks/results.md
	$(BIN)/python benchmarks/check_engines.py --studies 1000
	@for script in bench_validation bench_site bench_serve bench_publish; do \
	  if [ -f benchmarks/$$script.py ]; then echo "== benchmarks/$$script.py"; $(BIN)/python benchmarks/$$script.py || exit 1; fi; \
	done

bench-quick: $(STAMP) ## The smallest size (1,000 studies) without HermiT and pySHACL, one run (~1 min); writes benchmarks/results/quick.md
	$(BIN)/python benchmarks/bench_scale.py --sizes 1000 --repeat 1 --budget 300 \
	  --steps load,load-bare,load-cached,query-cli,reason-fast,queries,export,export-bare,help \
	  --out benchmarks/results/quick.md

clean: ## Remove build outputs and caches (keeps .venv)
	rm -rf build build.tmp-* build.old-* .pytest_cache .mypy_cache .ruff_cache
	find . -name __pycache__ -type d -not -path './.venv/*' -prune -exec rm -rf {} +
