"""The model stage's reuse of unchanged entries (model.ModelMemo) and the route plan's reuse."""

from __future__ import annotations

from pathlib import Path

from eventsite.load import LoadCache, load_content
from eventsite.model import ModelMemo, build_model
from eventsite.kinds import PAGE_KINDS
from eventsite.routes import plan_routes as plan_with


def plan_routes(site, previous=None):
    return plan_with(site, PAGE_KINDS, previous=previous)
from eventsite.validate import ValidationCache, validate_content

from .sitekit import write_site


class Models:
    """Builds the model of a content folder the way the dev server does: with its caches."""

    def __init__(self, content: Path):
        self.content = content
        self.documents, self.validated, self.memo = LoadCache(), ValidationCache(), ModelMemo()

    def build(self):
        return build_model(validate_content(load_content(self.content, self.documents), self.validated), self.memo)


def test_unchanged_entries_are_the_same_objects(tmp_path: Path) -> None:
    models = Models(write_site(tmp_path))
    first, second = models.build(), models.build()
    assert second is not first
    assert second.get("person", "minister") is first.get("person", "minister")
    assert second.get("session", "opening") is first.get("session", "opening")
    assert second.get("exhibit", "five-g") is first.get("exhibit", "five-g")


def test_an_edit_rebuilds_the_entry_and_the_entries_that_hold_it(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    models = Models(content)
    first = models.build()
    person = content / "people/minister.md"
    person.write_text(person.read_text().replace("The Minister", "The New Minister"), encoding="utf-8")
    second = models.build()
    assert second.get("person", "minister") is not first.get("person", "minister")
    assert second.get("person", "minister").name == "The New Minister"
    # the opening session holds the minister as a speaker: rebuilt, and showing the new name
    assert second.get("session", "opening") is not first.get("session", "opening")
    assert second.get("session", "opening").speakers[0].name == "The New Minister"
    # the talk does not: reused
    assert second.get("session", "talk") is first.get("session", "talk")


def test_a_new_translation_rebuilds_its_entry(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    models = Models(content)
    first = models.build()
    (content / "sessions/talk.th.md").write_text("---\ntitle: การบรรยาย\n---\nเนื้อหา\n", encoding="utf-8")
    second = models.build()
    assert second.get("session", "talk") is not first.get("session", "talk")
    assert set(second.get("session", "talk").translations) == {"th"}
    assert second.get("session", "opening") is first.get("session", "opening")


def test_memo_and_no_memo_give_equal_models(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    models = Models(content)
    models.build()
    memoized = models.build()
    fresh = build_model(validate_content(load_content(content)))
    assert [s.id for s in memoized.items("session")] == [s.id for s in fresh.items("session")]
    assert memoized.facts() == fresh.facts()


def test_the_plan_is_reused_while_no_page_comes_or_goes(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    models = Models(content)
    site = models.build()
    plan = plan_routes(site)
    talk = content / "sessions/talk.md"
    talk.write_text(talk.read_text().replace("Talk on smart traffic", "Renamed talk"), encoding="utf-8")
    assert plan_routes(models.build(), previous=plan) is plan
    (content / "sessions/extra.md").write_text(talk.read_text(), encoding="utf-8")
    bigger = plan_routes(models.build(), previous=plan)
    assert bigger is not plan and "/en/sessions/extra/" in bigger.by_url
    assert bigger.by_url.keys() == plan_routes(models.build()).by_url.keys()
