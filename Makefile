# Two commands do all the set-up on a fresh machine (Python ≥ 3.11):
#   make explore   build the graph from the bundled corpus and write build/kgraph.html
#   make test      run every test (unit, corpora, browser, servers, notebooks, doctests)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: explore test bench lint system-deps clean

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

lint: $(VENV)/.installed-test
	$(BIN)/ruff check --fix kgraph tests benchmarks
	$(BIN)/ruff format kgraph tests benchmarks

# Browsers and servers the integration tests use (Debian; needs root). Tests skip without them.
system-deps:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium virtuoso-opensource-7

clean:
	rm -rf build $(VENV)
