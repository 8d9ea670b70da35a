# The whole set-up lives here: each target creates or reuses .venv by itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

LOCK := requirements.lock

.PHONY: site test lint check bytecode lock clean

site: $(STAMP) bytecode  ## check the docs, then build the site into site/
	tools/check-snippets
	$(BIN)/mkdocs build --strict

test: $(STAMP)  ## run the whole test suite
	$(BIN)/pytest -n auto --dist loadfile

lint: $(STAMP)  ## ruff's lint rules and formatting, as configured in pyproject.toml (`ruff format .` fixes the latter)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: $(STAMP) bytecode
	tools/check-snippets

# Editable installs get no bytecode at install time; compile it so every run of the
# tools does not compile them again (Python reads .pyc even with PYTHONDONTWRITEBYTECODE).
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q tools > /dev/null

# Exactly the versions the tests passed with, checked against their hashes; then the project itself.
$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Re-resolve the lock after a change of pyproject.toml, for CPython 3.11.7: pins already in the lock are
# kept where they still fit (`make lock UPGRADE=--upgrade` moves every pin to the newest allowed).
# Run `make test` afterwards and commit the lock with the change that needed it.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet 'uv>=0.9'
	$(BIN)/uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11.7 --no-annotate \
		--custom-compile-command 'make lock' --quiet $(UPGRADE) -o $(LOCK)

clean:
	rm -rf $(VENV) site
