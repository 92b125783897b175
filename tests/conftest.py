"""Shared fixtures: one loaded pipeline per test session, and the gold data
of ../shared when it is there (tests that need it skip otherwise)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEV = SHARED / "data" / "dev"
FTIB = SHARED / "data" / "ftib-dev"
SCORER = SHARED / "eval" / "score.py"


@pytest.fixture(scope="session")
def pipeline():
    import depeche

    return depeche.load()


@pytest.fixture(scope="session")
def analyze(pipeline):
    """analyze(text, dct=None) -> Analysis, with the shared pipeline."""
    def run(text, dct=None, id=None):
        return pipeline.analyze(text, dct=dct, id=id)
    return run


def gold_articles(folder: Path = DEV):
    if not folder.is_dir():
        return []
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


@pytest.fixture(scope="session")
def dev_gold():
    if not DEV.is_dir():
        pytest.skip("gold data (../shared/data/dev) not available")
    return gold_articles(DEV)


@pytest.fixture(scope="session")
def seed(dev_gold):
    for g in dev_gold:
        if g["id"].startswith("seed"):
            return g
    pytest.skip("seed article not in the gold data")
