# Two entry points, both from a fresh clone (Python >= 3.11):
#   make demo   installs, converts the example profiles' sample images into out/, prints one dry run
#   make test   installs and runs the whole test suite
#   make lint   ruff and mypy on src/ (both must be clean)
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: install demo test lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(BIN)/.installed

demo: install
	@mkdir -p out
	@for profile in profiles/examples/*.yaml; do \
		echo "== $$profile"; \
		$(BIN)/img2dcm apply -v "$$profile" || exit 1; \
	done
	@$(BIN)/img2dcm apply profiles/examples/secondary-capture.yaml --dry-run \
		profiles/examples/samples/pillow_flower.jpg out/dry-run.dcm

test: install
	$(BIN)/pytest

# Static checks: ruff (rule set documented in pyproject.toml) and mypy on src/.
lint: install
	$(BIN)/ruff check src
	$(BIN)/mypy

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf out .pytest_cache
