# ibmkg: the one front door. `make help` lists every target.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.stamp-install
IBMKG  := $(BIN)/ibmkg
# pytest-xdist workers for `make pytest` (each test file stays on one worker, so module
# fixtures such as a reasoner run are made once; each worker has its own Virtuoso).
PYTEST_WORKERS ?= 2
# Kill trials per command in `make test`; `make reliability` runs 20.
KILL_TRIALS ?= 4
# Seconds of coverage-guided fuzzing per curation reader in `make fuzz-atheris`.
ATHERIS_SECONDS ?= 60

.DEFAULT_GOAL := help
.PHONY: help venv run build validate test lint typecheck test-engines bench-validation \
        validation-report crosscheck pytest fuzz reliability canon check-canon imports mappings \
        context generate check-generated serve bench-serve bench-publish bench-site \
        bench-site-quick bench bench-quick bench-load bench-queries bench-cli-queries bench-query-engines site serve-site wheel clean fuzz-curation \
        test-kills fuzz-atheris

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

test-engines: $(STAMP) ## Compiled SHACL engine vs pySHACL on every broken fixture (~2-4 min)
	$(BIN)/pytest -m engines tests/test_compiled.py tests/test_curator_sourced.py

bench-validation: $(STAMP) ## compiled vs pySHACL vs Jena SHACL at 100/1k/10k studies; writes benchmarks/results/validation.md
	$(BIN)/python benchmarks/bench_validation.py

.PHONY: bench-validation-large bench-reasoning profile-validation
profile-validation: $(STAMP) ## Time each step, shape and SPARQL constraint of ibmkg validate at 1k and 10k studies (~5 min); writes benchmarks/results/validation-profile.md
	$(BIN)/python benchmarks/profile_validation.py --sizes 1000 10000

bench-validation-large: $(STAMP) ## compiled vs Jena SHACL at 10,000 studies, one run (~10 min idle); writes benchmarks/results/validation-10k.md with the load average
	$(BIN)/python benchmarks/bench_validation.py --sizes 10000 --runs 1 --engines compiled jena --budget 1500 --name validation-10k.md

bench-reasoning: $(STAMP) ## ibmkg reason (fast) on the letter and 100/1k/10k studies, HermiT up to 1k (~15 min); writes benchmarks/results/reasoning.md
	$(BIN)/python benchmarks/bench_reasoning.py --sizes 100 1000 10000 --hermit-sizes 100 1000

validation-report: $(STAMP) ## Validate every mutant of the mutation test (~10 s, compiled engine); rewrite the table in docs/validation.md
	$(BIN)/python -m tests.mutations --write docs/validation.md

crosscheck: $(STAMP) ## Compare Apache Jena SHACL with ibmkg on the real graph and every broken fixture (~10 min)
	IBMKG_CROSSCHECK=all $(BIN)/pytest tests/test_jena_shacl.py -q -p no:cacheprovider
pytest: $(STAMP) ## Run the tests and doctests in parallel (PYTEST_WORKERS=2, one file per worker; the slow engine comparison is make test-engines)
	IBMKG_KILL_TRIALS=$(KILL_TRIALS) $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile -m "not engines"

fuzz: $(STAMP) ## Fuzz every registered reader with 1,000,000 mutated inputs (10x the CI share)
	IBMKG_FUZZ_SCALE=10 $(BIN)/pytest -q -s -p no:cacheprovider tests/test_fuzz.py

reliability: $(STAMP) ## Run the reliability tests (20 kills per command) and write docs/reliability.md
	IBMKG_KILL_TRIALS=20 $(BIN)/python tests/reliability_report.py

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

serve: $(STAMP) ## Serve the graph over the SPARQL protocol on http://127.0.0.1:7878/sparql (Ctrl-C stops)
	$(IBMKG) serve

bench-serve: $(STAMP) ## Load-test ibmkg serve (workers on the store on disk and --in-memory, side by side) with 100, 1,000 and 10,000 synthetic studies; write benchmarks/results/serve.md
	$(BIN)/python benchmarks/bench_serve.py

bench-publish: $(STAMP) ## Time `ibmkg publish` to a throw-away Virtuoso (10 and 100 synthetic studies) and the remote limits (~2 min); writes benchmarks/results/
	$(BIN)/python benchmarks/bench_publish.py --sizes 10 100
	$(BIN)/python benchmarks/bench_remote_limits.py

test-kills: $(STAMP) ## Kill a real Virtuoso at 12 random points of publish and 12 of rollback, three versions (fixed seed; ~3 min)
	IBMKG_KILLS=12 $(BIN)/pytest tests/test_publish_kills.py -q -s -p no:cacheprovider

bench-site: $(STAMP) ## Time `ibmkg site` on the letter and 1,000 and 10,000 synthetic studies -> benchmarks/results/site.md
	$(BIN)/python benchmarks/bench_site.py

bench-site-quick: $(STAMP) ## Time `ibmkg site` at 100 and 1,000 synthetic studies -> benchmarks/results/quick/site.md
	$(BIN)/python benchmarks/bench_site.py --sizes 100 1000 --out benchmarks/results/quick/site.md

bench: $(STAMP) ## Load, reason, validate, every stored query and export at 1k/10k/100k studies, bare engines alongside (hours); writes benchmarks/results.md and .png
	$(BIN)/python benchmarks/bench_scale.py --sizes 1000 10000 100000 --repeat 3 --budget 1200 --out benchmarks/results.md
	$(BIN)/python benchmarks/check_engines.py --studies 1000
	@for script in bench_validation bench_site bench_serve bench_publish bench_cli_queries; do \
	  if [ -f benchmarks/$$script.py ]; then echo "== benchmarks/$$script.py"; $(BIN)/python benchmarks/$$script.py || exit 1; fi; \
	done

bench-quick: $(STAMP) ## The smallest size (1,000 studies) without HermiT and pySHACL, one run (~1 min); writes benchmarks/results/quick.md
	$(BIN)/python benchmarks/bench_scale.py --sizes 1000 --repeat 1 --budget 300 \
	  --steps load,load-graphs,load-bare,load-cache-build,load-bare-disk,load-cached,query-cli,reason-fast,queries,export,export-bare,help \
	  --out benchmarks/results/quick.md

bench-load: $(STAMP) ## Loading (query store, with study graphs, bare; cache build and bare on disk; cached reopen), `ibmkg query`, every stored query and --help at 1k/10k/100k, one run (~1 h, ~10 GB at 100k); writes benchmarks/results/scale-load.md
	$(BIN)/python benchmarks/bench_scale.py --sizes 1000 10000 100000 --repeat 1 --budget 900 \
	  --steps load,load-graphs,load-bare,load-cache-build,load-bare-disk,load-cached,query-cli,queries,help \
	  --reason-queries-up-to 1000 --out benchmarks/results/scale-load.md

bench-cli-queries: $(STAMP) ## Every stored query as a whole `ibmkg query` on the cached store, beside bare pyoxigraph on the same and an uncompacted store, 1k/10k studies (~6 min); writes benchmarks/results/cli-queries.md and .png
	$(BIN)/python benchmarks/bench_cli_queries.py --sizes 1000 10000 --repeat 3

bench-query-engines: $(STAMP) ## Every stored query on pyoxigraph in memory and on a throw-away Virtuoso (through ibmkg and bare) at 10k/100k, same rows checked (~20 min, ~8 GB); writes benchmarks/results/engines-queries.md and .png
	$(BIN)/python benchmarks/bench_engines_queries.py --sizes 10000 100000 --repeat 3

bench-queries: $(STAMP) ## Every stored query on the in-memory query store at 1k/10k/100k, medians of 3 interleaved runs, evidence-level reasoned up to 10k (~15 min, ~5 GB at 100k); writes benchmarks/results/scale-queries.md
	$(BIN)/python benchmarks/bench_scale.py --sizes 1000 10000 100000 --repeat 3 --budget 900 \
	  --steps queries --reason-queries-up-to 10000 --out benchmarks/results/scale-queries.md

site: $(STAMP) ## Write the linked-data site into build/site (pages, RDF, VoID/DCAT, pictures)
	$(IBMKG) site

serve-site: $(STAMP) ## Write build/site and serve it on http://127.0.0.1:8000/ with content negotiation
	$(IBMKG) site --serve

wheel: $(STAMP) ## Build the installable package (code + ontology, shapes, kg, queries) into dist/
	$(BIN)/python -m build --wheel --outdir dist .

clean: ## Remove build outputs and caches (keeps .venv)
	rm -rf build build.tmp-* build.old-* build.rejected dist .ibmkg .pytest_cache .mypy_cache .ruff_cache
	find . -name __pycache__ -type d -not -path './.venv/*' -prune -exec rm -rf {} +

fuzz-curation: $(STAMP) ## Fuzz the curation readers (YAML, TSV, XLSX, PubMed XML, CT.gov JSON) at length
	IBMKG_FUZZ_EXAMPLES=3000 $(BIN)/pytest -q -p no:cacheprovider tests/test_curation_fuzz.py

fuzz-atheris: $(STAMP) ## Coverage-guided fuzzing (atheris, the [fuzz] extra) of the six curation readers, ATHERIS_SECONDS each (60)
	@$(BIN)/python -c 'import atheris' 2>/dev/null || $(BIN)/pip install --quiet -e '.[dev,fuzz]'
	@for kind in yaml csv tsv xlsx pubmed ctgov; do \
	  echo "atheris: $$kind for $(ATHERIS_SECONDS) s"; \
	  $(BIN)/python -m ibmkg.curation.atheris_main $$kind --seeds tests/data/curation \
	    --work build/atheris -- -max_total_time=$(ATHERIS_SECONDS) -timeout=2 -rss_limit_mb=2048 \
	    -print_final_stats=1 2>build/atheris-$$kind.log || { tail -40 build/atheris-$$kind.log; exit 1; }; \
	  grep -E '^(Done|stat::number_of_executed_units)' build/atheris-$$kind.log; \
	done
