"""HTTP API and web interface (``depeche serve``)."""
