"""Dependencies run one way: geodata ← directory ← practices ← embeds, with core under all.

An app never reaches one that depends on it: not by import, not by a dotted path,
URL name or template name in a string, not by loading its template tags, reversing
its URLs or including its templates. An app that needs to add to another's page goes
through a neutral hook (core/sections.py). config/ wires everything and may import
anything; it is not scanned.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What each app must not reach (every app above it in the chain, and for core all of them).
FORBIDDEN: dict[str, frozenset[str]] = {
    "core": frozenset({"geodata", "directory", "practices", "resources", "embeds"}),
    "geodata": frozenset({"directory", "practices", "resources", "embeds"}),
    "directory": frozenset({"practices", "resources", "embeds"}),
    "practices": frozenset({"resources", "embeds"}),
    "resources": frozenset({"embeds"}),
    "embeds": frozenset(),
}
APPS = tuple(FORBIDDEN)
TEMPLATE_SUFFIXES = (".html", ".txt", ".xml", ".json")

LOAD = re.compile(r"{%\s*load\s+(?P<names>[^%]+?)\s*%}")
URL = re.compile(r"""{%\s*url\s+(?P<q>["'])(?P<namespace>[\w-]+):""")
TEMPLATE_REF = re.compile(
    r"""{%\s*(?P<tag>include|extends)\s+(?P<q>["'])(?P<prefix>[\w-]+)/[^"']*(?P=q)"""
)
DOTTED = re.compile(r"^(?P<head>[A-Za-z_]\w*)(?:\.[A-Za-z_]\w*)+$")
URL_NAME = re.compile(r"^(?P<head>[\w-]+):[\w-]*$")
TEMPLATE_NAME = re.compile(r"^(?P<head>[\w-]+)/[^\s:]+\.(?:html|txt|xml|json)$")
# Calls that name an app by its bare label.
LABEL_CALLS = {"get_model", "get_app_config", "is_installed", "get_containing_app_config"}


@dataclass(frozen=True)
class Names:
    """Who owns what can be named: URL namespaces, template folders, tag libraries."""

    namespaces: dict[str, str]
    template_prefixes: dict[str, str]
    tag_libraries: dict[str, str]


@dataclass(frozen=True)
class Reach:
    path: Path
    line: int
    source: str
    target: str
    how: str

    def __str__(self) -> str:
        where = self.path.relative_to(ROOT) if self.path.is_relative_to(ROOT) else self.path
        return f"{where}:{self.line}: {self.source} → {self.target} ({self.how})"


def project_names(root: Path = ROOT) -> Names:
    namespaces: dict[str, str] = {}
    prefixes: dict[str, str] = {}
    libraries: dict[str, str] = {}
    for app in APPS:
        for urls in (root / app).rglob("urls.py"):
            for node in ast.walk(ast.parse(urls.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "app_name" for t in node.targets)
                    and isinstance(node.value, ast.Constant)
                ):
                    namespaces[node.value.value] = app
        for folder in (root / app / "templates").glob("*/"):
            prefixes[folder.name] = app
        if (root / "templates" / app).is_dir():
            prefixes[app] = app
        for library in (root / app / "templatetags").glob("*.py"):
            if library.stem != "__init__":
                libraries[library.stem] = app
    return Names(namespaces, prefixes, libraries)


def python_files(app: str, root: Path = ROOT) -> list[Path]:
    return sorted(p for p in (root / app).rglob("*.py") if "__pycache__" not in p.parts)


def template_files(app: str, root: Path = ROOT) -> list[Path]:
    folders = [root / app / "templates", root / "templates" / app]
    folders.append(root / "templates" / "admin" / app)  # the app's admin overrides
    return sorted(
        p
        for folder in folders
        if folder.is_dir()
        for p in folder.rglob("*")
        if p.is_file() and p.suffix in TEMPLATE_SUFFIXES
    )


def _string_target(value: str, names: Names) -> tuple[str, str] | None:
    """(app, how) when a string names something of a project app."""
    if match := DOTTED.match(value):
        if match["head"] in APPS:
            return match["head"], f"dotted path {value!r}"
    if match := URL_NAME.match(value):
        if match["head"] in names.namespaces:
            return names.namespaces[match["head"]], f"URL name {value!r}"
    if match := TEMPLATE_NAME.match(value):
        if match["head"] in names.template_prefixes:
            return names.template_prefixes[match["head"]], f"template {value!r}"
    return None


def python_reaches(path: Path, app: str, names: Names) -> list[Reach]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[Reach] = []

    def add(node: ast.AST, target: str, how: str) -> None:
        found.append(Reach(path, node.lineno, app, target, how))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(node, alias.name.split(".")[0], f"import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            add(node, node.module.split(".")[0], f"from {node.module} import …")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if hit := _string_target(node.value, names):
                add(node, *hit)
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0] if node.args else None
            if (
                name in LABEL_CALLS
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                label = first.value.split(".")[0]
                add(node, label, f"{name}({first.value!r})")
    return [r for r in found if r.target in APPS and r.target != app]


def template_reaches(path: Path, app: str, names: Names) -> list[Reach]:
    text = path.read_text(encoding="utf-8")
    found: list[Reach] = []

    def add(match: re.Match, target: str | None, how: str) -> None:
        if target and target != app:
            line = text.count("\n", 0, match.start()) + 1
            found.append(Reach(path, line, app, target, how))

    for match in LOAD.finditer(text):
        words = match["names"].split()
        libraries = words[-1:] if "from" in words else words
        for library in libraries:
            add(match, names.tag_libraries.get(library), f"{{% load {library} %}}")
    for match in URL.finditer(text):
        namespace = match["namespace"]
        add(match, names.namespaces.get(namespace), f"{{% url '{namespace}:…' %}}")
    for match in TEMPLATE_REF.finditer(text):
        prefix = match["prefix"]
        add(match, names.template_prefixes.get(prefix), f"{{% {match['tag']} '{prefix}/…' %}}")
    return found


def violations(app: str, root: Path = ROOT) -> list[Reach]:
    names = project_names(root)
    reaches = [r for p in python_files(app, root) for r in python_reaches(p, app, names)]
    reaches += [r for p in template_files(app, root) for r in template_reaches(p, app, names)]
    return [r for r in reaches if r.target in FORBIDDEN[app]]


@pytest.mark.parametrize("app", APPS)
def test_app_reaches_no_app_that_depends_on_it(app):
    found = violations(app)
    assert not found, f"{app} reaches up the dependency chain:\n" + "\n".join(map(str, found))


def test_every_app_is_scanned():
    for app in APPS:
        assert python_files(app), app
    assert template_files("geodata") and template_files("directory")


# --- the scanner itself: each way of reaching up is seen ------------------------------------


@pytest.fixture
def fake_project(tmp_path):
    """A miniature tree: geodata reaches directory in every way the scan knows."""

    def write(relative: str, text: str) -> None:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    for app in APPS:
        write(f"{app}/__init__.py", "")
    write("directory/urls.py", 'app_name = "directory"\n')
    write("directory/exports/urls.py", 'app_name = "exports"\n')
    write("directory/templatetags/directory_tags.py", "")
    write("directory/templates/directory/_list.html", "")
    write("directory/templates/exports/index.html", "")
    write(
        "geodata/views.py",
        "import os\n"
        "from directory.models import Place\n"
        "import directory.selectors\n"
        "from . import models\n"
        'EXTENSIONS = ("directory.demo",)\n'
        'URL = "exports:index"\n'
        'TEMPLATE = "directory/_list.html"\n'
        'model = apps.get_model("directory", "Place")\n'
        'PLAIN = "directory and practices, in a sentence."\n',
    )
    write(
        "templates/geodata/page.html",
        "{% load i18n directory_tags %}\n"
        "{% include 'geodata/_map.html' %}\n"
        '{% include "directory/_list.html" %}\n'
        "<a href=\"{% url 'directory:search' %}\">\n"
        "{% load distance from directory_tags %}\n",
    )
    return tmp_path


def test_the_scan_sees_every_way_of_reaching_up(fake_project):
    found = {(r.path.name, r.line, r.target) for r in violations("geodata", fake_project)}

    assert found == {
        ("views.py", 2, "directory"),  # from … import
        ("views.py", 3, "directory"),  # import
        ("views.py", 5, "directory"),  # dotted string
        ("views.py", 6, "directory"),  # URL name of a namespace the app owns
        ("views.py", 7, "directory"),  # template name
        ("views.py", 8, "directory"),  # app label given to get_model
        ("page.html", 1, "directory"),  # {% load %}
        ("page.html", 3, "directory"),  # {% include %}
        ("page.html", 4, "directory"),  # {% url %}
        ("page.html", 5, "directory"),  # {% load … from … %}
    }
    message = str(next(r for r in violations("geodata", fake_project) if r.line == 4))
    assert message.endswith("page.html:4: geodata → directory ({% url 'directory:…' %})")


def test_reaching_down_the_chain_is_allowed(fake_project):
    (fake_project / "practices" / "views.py").write_text(
        'from directory.models import Place\nURL = "directory:search"\n', encoding="utf-8"
    )
    assert violations("practices", fake_project) == []
