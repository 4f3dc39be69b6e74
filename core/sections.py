"""Named slots on a page, filled by the apps that own the data shown there.

A page belongs to one app, yet may show what an app depending on it knows: a
région's page lists the directory's places there, a place's page the practice
sheets linked to it. The page's app cannot import those apps, so its template
leaves a slot, `{% page_sections "region" region %}` (core_tags), and each app
with something to add registers a section for that slot from its
AppConfig.ready(). Sections render in registration order, which is INSTALLED_APPS
order.

A section is a provider, called with the page's subject and the request, that
returns a Fragment (one of its own templates and that template's context) or
None to add nothing; plus, if it needs them, templates of its stylesheets and
scripts, which the page renders where it loads its own:
`{% page_section_assets "region" "head" %}` and `... "js" %}`.

Slots in use: "home", "home_search", "region", "department" (geodata's pages), "place",
"organisation" (the directory's pages), "practice_sheet" (the practices' sheet page), "watch"
(the press watch's panorama, subject: its validated filters).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django.http import HttpRequest

AssetKind = Literal["head", "js"]


@dataclass(frozen=True)
class Fragment:
    template: str
    context: Mapping[str, Any]


Provider = Callable[[Any, HttpRequest | None], Fragment | None]


@dataclass(frozen=True)
class Section:
    name: str
    provider: Provider
    head: str = ""  # template of the stylesheets the fragment needs
    js: str = ""  # template of the scripts it needs


_slots: dict[str, dict[str, Section]] = {}


def register(slot: str, name: str, provider: Provider, *, head: str = "", js: str = "") -> None:
    """Add a section to `slot`; registering a `name` again replaces it in place."""
    _slots.setdefault(slot, {})[name] = Section(name, provider, head=head, js=js)


def unregister(slot: str, name: str) -> None:
    _slots.get(slot, {}).pop(name, None)


def sections(slot: str) -> list[Section]:
    return list(_slots.get(slot, {}).values())


def fragments(slot: str, subject: Any, request: HttpRequest | None) -> list[Fragment]:
    """What the sections of `slot` have to show for `subject`, in order."""
    found = (section.provider(subject, request) for section in sections(slot))
    return [fragment for fragment in found if fragment is not None]


def asset_templates(slot: str, kind: AssetKind) -> list[str]:
    """Templates of the stylesheets ("head") or scripts ("js") of `slot`, each once."""
    names = (getattr(section, kind) for section in sections(slot))
    return list(dict.fromkeys(name for name in names if name))
