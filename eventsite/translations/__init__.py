"""The translators' tools: fingerprints and sign-off, the status report, UI catalogs, and history.

- :mod:`.fingerprints` — what a translation was made from (``source_fingerprint``), sign-off;
- :mod:`.status` — per language, what is missing, outdated, a draft or unsigned (``build.py i18n``);
- :mod:`.catalogs` — ``messages.pot`` and each language's ``messages.po`` (``i18n extract``);
- :mod:`.history` — the signed-off source from git (``i18n diff``).
"""
