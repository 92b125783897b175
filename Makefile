# depeche — everyday commands. `make demo` sets everything up; `make test` runs the tests.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
SHARED ?= ../shared
EXAMPLE := src/depeche/examples/ue-moldavie-2025-03-18.json
OUT    ?= out

.PHONY: demo install test eval bench fuzz stress clean

$(BIN)/depeche: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test,bench]"
	@touch $@

install: $(BIN)/depeche

demo: install
	$(BIN)/depeche analyze $(EXAMPLE)

test: install
	$(BIN)/python -m pytest

# Output validity on thousands of generated inputs (tests/test_properties.py; CI runs 40).
fuzz: install
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/test_properties.py -p no:cacheprovider

# 10,000 generated bad inputs through analyze_many (issue 18): lost, escaped, hangs, invalid
# outputs, peak memory (scripts/stress.py; 20-40 min, at low priority).
stress: install
	@mkdir -p $(OUT)
	nice -n 19 $(BIN)/python scripts/stress.py -n 10000 --json $(OUT)/stress.json

# Gold scores: the full tables for the news dev set (tune on it), the news check set (score
# only: never read its texts or misses) and the French TimeBank half.
eval: install
	@mkdir -p $(OUT)
	@for set in dev check ftib-dev; do \
	  [ -d $(SHARED)/data/$$set ] || continue; \
	  echo "== $$set"; \
	  python3 $(SHARED)/eval/score.py inputs $(SHARED)/data/$$set $(OUT)/$$set-in.jsonl >/dev/null && \
	  $(BIN)/depeche analyze $(OUT)/$$set-in.jsonl --format jsonl -o $(OUT)/$$set-out.jsonl && \
	  python3 $(SHARED)/eval/score.py score $(SHARED)/data/$$set $(OUT)/$$set-out.jsonl; \
	done

bench: install
	$(BIN)/depeche bench
	@if [ -d $(SHARED)/data/ftib-dev ]; then $(BIN)/depeche bench times --gold $(SHARED)/data/ftib-dev; fi

clean:
	rm -rf $(VENV) $(OUT) build src/*.egg-info
