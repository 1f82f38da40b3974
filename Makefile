# The two documented commands: `make run` (set up, then serve the fixtures) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[service,test]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/matcher serve --demo

test: setup
	bash scripts/ensure-postgres.sh
	bash scripts/ensure-chromium.sh
	$(BIN)/ruff check .
	KOHTAANTO_TEST_DATABASE_URL=$${KOHTAANTO_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
		$(BIN)/python -m pytest -q -n 2 --dist loadfile

lint: setup
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var
