"""Every interface language has every message translated (issue 12).

For each language of settings.LANGUAGES but French (the source language), each catalogue —
the site's (locale/) and the embeds' (embeds/locale/) — must exist, have no message left
empty or fuzzy, and use only the placeholders of its French message (a stray "%(nom)s" is a
KeyError, hence a 500, in that language only). The draft catalogues written without a native
speaker (Arabic, Ukrainian, Dari) say so in their header until one has reviewed them.
These tests fail while translations are missing: that is what they are for.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from babel import Locale
from django.conf import settings
from django.utils.translation import to_locale

CATALOGUES = {
    "site": settings.BASE_DIR / "locale",
    "embeds": settings.BASE_DIR / "embeds" / "locale",
}
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# Written without a native speaker: their headers must ask for one's review.
DRAFTS = ("ar", "uk", "fa-af")

NAMED = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc]")
POSITIONAL = re.compile(r"%(?!\()[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc]")
REVIEW = re.compile(r"review\w*\s+by\s+a\s+native\s+(\w+)\s+speaker", re.IGNORECASE)


def catalogue_path(code: str, catalogue: str) -> Path:
    return CATALOGUES[catalogue] / to_locale(code) / "LC_MESSAGES" / "django.po"


def load(code: str, catalogue: str) -> polib.POFile:
    path = catalogue_path(code, catalogue)
    assert path.is_file(), f"{path.relative_to(settings.BASE_DIR)} is missing"
    return polib.pofile(str(path), wrapwidth=0)


def live_entries(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete and entry.msgid]


def describe(entry: polib.POEntry) -> str:
    context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
    return f"{context}{entry.msgid!r}"


CASES = [pytest.param(code, name, id=f"{code}-{name}") for code in LANGUAGES for name in CATALOGUES]


@pytest.mark.parametrize(("code", "catalogue"), CASES)
def test_every_message_is_translated(code, catalogue):
    po = load(code, catalogue)
    problems = []
    if po.metadata_is_fuzzy:
        problems.append("the header is marked fuzzy (msgfmt would drop it)")
    for entry in live_entries(po):
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {describe(entry)}")
        elif entry.msgid_plural:
            if not entry.msgstr_plural or not all(entry.msgstr_plural.values()):
                problems.append(f"untranslated plural: {describe(entry)}")
        elif not entry.msgstr:
            problems.append(f"untranslated: {describe(entry)}")
    assert not problems, (
        f"{catalogue_path(code, catalogue).relative_to(settings.BASE_DIR)}: "
        f"{len(problems)} message(s) to translate\n" + "\n".join(problems)
    )


@pytest.mark.parametrize(("code", "catalogue"), CASES)
def test_no_message_of_another_language_is_missing(code, catalogue):
    """makemessages adds the new messages to every catalogue: one that lacks a message the
    others have was left behind (a language added by hand, or not regenerated)."""
    keys = {(e.msgctxt, e.msgid) for e in live_entries(load(code, catalogue))}
    others = set()
    for other in LANGUAGES:
        if other != code and catalogue_path(other, catalogue).is_file():
            others |= {(e.msgctxt, e.msgid) for e in live_entries(load(other, catalogue))}
    missing = sorted(others - keys, key=str)
    assert not missing, f"{len(missing)} message(s) missing:\n" + "\n".join(
        f"[{context}] {msgid!r}" if context else repr(msgid) for context, msgid in missing
    )


@pytest.mark.parametrize(("code", "catalogue"), CASES)
def test_translations_keep_their_placeholders(code, catalogue):
    problems = []
    for entry in live_entries(load(code, catalogue)):
        source = entry.msgid + (entry.msgid_plural or "")
        allowed = set(NAMED.findall(source))
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in filter(None, translations):
            unknown = set(NAMED.findall(text)) - allowed
            if unknown:
                problems.append(f"{describe(entry)}: unknown {sorted(unknown)} in {text!r}")
            if not entry.msgid_plural and len(POSITIONAL.findall(text)) != len(
                POSITIONAL.findall(entry.msgid)
            ):
                problems.append(f"{describe(entry)}: not the same %s count in {text!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("code", "catalogue"),
    [pytest.param(code, name, id=f"{code}-{name}") for code in DRAFTS for name in CATALOGUES],
)
def test_draft_catalogues_ask_for_a_native_speakers_review(code, catalogue):
    po = load(code, catalogue)
    header_lines = po.header.splitlines() + [f"{k}: {v}" for k, v in po.metadata.items()]
    languages = {match.group(1).lower() for line in header_lines for match in REVIEW.finditer(line)}
    expected = Locale("en").languages[to_locale(code)].lower()  # Arabic, Ukrainian, Dari
    assert expected in languages, (
        f"{catalogue_path(code, catalogue).relative_to(settings.BASE_DIR)}: the header should "
        f"say « to be reviewed by a native {expected.capitalize()} speaker »"
    )


def test_every_interface_language_is_tested():
    # A language added to settings without catalogues fails above, not silently here.
    assert set(DRAFTS) <= set(LANGUAGES) and "en" in LANGUAGES
