"""The slots an app leaves on its pages for the apps that depend on it (core/sections.py)."""

import pytest
from django.template import Context, Engine

from core import sections

TEMPLATES = {
    "a/_part.html": "<p>{{ word }}{{ page_title|default:'' }}</p>",
    "b/_part.html": "<b>{{ subject }}</b>",
    "a/_head.html": "<link href='a.css'>{{ page_title }}",
    "b/_head.html": "<link href='b.css'>",
}


@pytest.fixture
def engine():
    return Engine(
        loaders=[("django.template.loaders.locmem.Loader", TEMPLATES)],
        libraries={"core_tags": "core.templatetags.core_tags"},
    )


@pytest.fixture
def slot():
    yield "test-slot"
    for section in sections.sections("test-slot"):
        sections.unregister("test-slot", section.name)


def render(engine, source: str, **context) -> str:
    return engine.from_string("{% load core_tags %}" + source).render(Context(context))


def test_sections_render_in_registration_order_with_their_own_context(engine, slot):
    sections.register(
        slot,
        "a",
        lambda subject, request: sections.Fragment("a/_part.html", {"word": subject.upper()}),
    )
    sections.register(
        slot, "b", lambda subject, request: sections.Fragment("b/_part.html", {"subject": subject})
    )

    html = render(engine, '{% page_sections "test-slot" thing %}', thing="lyon", page_title="T")

    # The page's own variables do not leak into a fragment, as with an inclusion tag.
    assert html == "<p>LYON</p><b>lyon</b>"


def test_a_section_with_nothing_to_show_adds_nothing(engine, slot):
    sections.register(slot, "a", lambda subject, request: None)

    assert render(engine, '{% page_sections "test-slot" thing %}', thing="x") == ""
    assert render(engine, '{% page_sections "no-such-slot" thing %}', thing="x") == ""


def test_registering_a_name_again_replaces_it_in_place(engine, slot):
    sections.register(
        slot, "a", lambda subject, request: sections.Fragment("b/_part.html", {"subject": 1})
    )
    sections.register(
        slot, "b", lambda subject, request: sections.Fragment("b/_part.html", {"subject": 2})
    )
    sections.register(
        slot, "a", lambda subject, request: sections.Fragment("b/_part.html", {"subject": 3})
    )

    assert render(engine, '{% page_sections "test-slot" x %}', x=0) == "<b>3</b><b>2</b>"


def test_assets_are_rendered_once_each_with_the_page_context(engine, slot):
    sections.register(slot, "a", lambda s, r: None, head="a/_head.html")
    sections.register(slot, "b", lambda s, r: None, head="b/_head.html")
    sections.register(slot, "c", lambda s, r: None, head="a/_head.html", js="b/_head.html")

    html = render(engine, '{% page_section_assets "test-slot" "head" %}', page_title="T")

    assert html == "<link href='a.css'>T<link href='b.css'>"
    assert sections.asset_templates(slot, "js") == ["b/_head.html"]


def test_the_apps_fill_the_slots_of_the_pages_below_them():
    names = {
        slot: [s.name for s in sections.sections(slot)]
        for slot in ("region", "department", "place", "organisation", "practice_sheet")
    }

    assert names == {
        "region": ["directory.places", "resources.linked_notices"],
        "department": ["directory.places"],
        "place": ["practices.linked_sheets"],
        "organisation": ["practices.linked_sheets", "resources.linked_notices"],
        "practice_sheet": ["resources.linked_notices"],
    }
