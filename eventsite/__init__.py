"""eventsite: a static site generator for multilingual official events.

The pipeline, one module per stage (see docs/architecture.md):

    load      read content files: decode, split front matter, strict YAML
    validate  check each document against its schema (pydantic)
    model     build the typed, cross-referenced event model
    routes    plan every output file (one registry of page kinds)
    render    render each route through Jinja2 in its language
    write     write the output atomically

``build.build_site`` runs them in order.
"""

__version__ = "0.1.0"
