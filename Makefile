# The whole set-up lives here: each target creates or reuses .venv by itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test check bytecode clean

site: $(STAMP) bytecode  ## check the docs, then build the site into site/
	tools/check-snippets
	$(BIN)/mkdocs build --strict

test: $(STAMP)  ## run the whole test suite
	$(BIN)/pytest -n auto --dist loadfile

check: $(STAMP) bytecode
	tools/check-snippets

# Editable installs get no bytecode at install time; compile it so every run of the
# tools does not compile them again (Python reads .pyc even with PYTHONDONTWRITEBYTECODE).
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q tools > /dev/null

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) site
