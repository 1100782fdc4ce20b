"""Exchange with the tools organizers and translators already use.

One module per job:

- ``sheets``: a CSV or XLSX file → tables of located cells;
- ``columns``: which column is which field (header names in the site's languages, or a mapping file);
- ``sheet_in``, ``frab_in``, ``c3voc_in``: a spreadsheet, a frab/Pentabarf XML or a C3VOC JSON
  schedule → the neutral :class:`programme.Programme`;
- ``programme``: the neutral programme and what it becomes: content files planned for the
  programme's and the people's kinds (the one module here that knows those kinds' fields);
- ``record``: what earlier imports wrote (``content/.eventsite/imports.json``), so that a
  re-import updates what the source owns and keeps what was edited here;
- ``frontmatter``: edit one field of a content file and leave every other byte alone;
- ``writer``: planned files + what is on disk → the changes, their diff, a trial check, the write;
- ``siteyaml``: add rooms to site.yaml without touching the rest of it;
- ``sheet_out``: the programme as a spreadsheet (``build.py export``);
- ``blocks``, ``xliff``: translation exchange as XLIFF 2.0 (``build.py i18n export|import``).

Everything that goes wrong is a :class:`~eventsite.errors.Problem` at the file, row and
column (or line) to fix, all of them at once, and nothing is written.
"""
