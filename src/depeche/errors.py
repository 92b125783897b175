"""Named exceptions of the depeche library.

The library raises these; only the entry points (``cli``, ``api`` callers,
``batch``) turn them into messages, exit codes or per-article failures.
"""


class DepecheError(Exception):
    """Base class of every error depeche raises on purpose."""

    code = "error"


class InputError(DepecheError):
    """An article that cannot be analysed: unreadable, not text, malformed."""

    code = "bad_input"


class EmptyTextError(InputError):
    """The article has no text (empty or whitespace only)."""

    code = "empty"


class EncodingError(InputError):
    """The bytes are not UTF-8 text (binary file, other encoding)."""

    code = "encoding"


class TooLargeError(InputError):
    """The article is larger than the configured limit."""

    code = "too_large"


class BadDateError(InputError):
    """A publication date (DCT) that is not a valid YYYY-MM-DD date."""

    code = "bad_date"


class AnalysisError(DepecheError):
    """A stage failed on one article (a defect of depeche, not of the input);
    the article is reported as a failure and the others are analysed."""

    code = "analysis_failed"


class TimeBudgetError(AnalysisError):
    """An article took longer than the pipeline's time budget."""

    code = "time_budget"


class ModelNotFoundError(DepecheError):
    """The spaCy model the pipeline needs is not installed."""

    code = "model_missing"


class LanguageDataError(DepecheError):
    """A language data file is missing or malformed."""

    code = "lang_data"


class StoreError(DepecheError):
    """The knowledge store cannot be opened, migrated or queried as asked."""

    code = "store"


class ClusterError(DepecheError):
    """The Dask scheduler asked for cannot be reached."""

    code = "cluster"


class KBError(DepecheError):
    """The knowledge base cannot be built, opened or imported into."""

    code = "kb"


class ArticleIdConflictError(StoreError):
    """A new text under an article id the store already holds for another
    text: an external id identifies one article (the article is skipped)."""

    code = "id_conflict"


class ExportExistsError(StoreError):
    """An export would overwrite files that exist (pass ``force``)."""

    code = "export_exists"


class FormatError(DepecheError):
    """An analysis cannot be written in the format asked (no text, no folder
    for a one-file-per-article format, an unwritable path), or does not follow
    the JSON Schema."""

    code = "format"


class BenchError(DepecheError):
    """A benchmark cannot be run as asked: gold data or the scorer that cannot
    be read, or a system beside depeche (HeidelTime) that failed on an article."""

    code = "bench"
