"""Language data: lexicons and word lists, one TOML file per kind of data.

Data lives in ``lang/<code>/<name>.toml``; code asks for it by a
language-neutral name (``load("fr", "months")``) and never spells the words
itself. Files are read once per process.
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

from ..errors import LanguageDataError

DEFAULT_LANG = "fr"


@lru_cache(maxsize=None)
def load(lang: str, name: str) -> dict[str, Any]:
    """The parsed contents of ``lang/<lang>/<name>.toml``."""
    try:
        data = resources.files(__package__).joinpath(lang, f"{name}.toml").read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise LanguageDataError(f"no language data {lang}/{name}.toml") from e
    try:
        return tomllib.loads(data)
    except tomllib.TOMLDecodeError as e:
        raise LanguageDataError(f"{lang}/{name}.toml: {e}") from e


def words(lang: str, name: str, key: str) -> frozenset[str]:
    """A word list from a data file, lower-cased, as a set."""
    return frozenset(w.lower() for w in load(lang, name).get(key, []))
