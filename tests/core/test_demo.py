"""Each app's demo content, loaded by one command in one transaction (core/demo.py)."""

from types import SimpleNamespace

import pytest

from core.demo import demo_modules, load_demo
from directory.models import Organisation
from practices.models import PracticeSheet

pytestmark = pytest.mark.django_db


class Report(dict):
    def summary(self) -> str:
        return ", ".join(f"{n} {label}" for label, n in self.items())

    def warnings(self) -> list[str]:
        return []


def fake_demo(name: str, slug: str) -> SimpleNamespace:
    """An app's demo module that adds one organisation and says what it saw before it."""

    def load(*, write: bool) -> Report:
        seen = Organisation.objects.count()
        Organisation.objects.create(name=slug, slug=slug)
        return Report({"vues": seen, "créées": 1})

    return SimpleNamespace(__name__=name, load=load)


def test_every_app_with_a_demo_module_is_found_in_installed_apps_order():
    assert [m.__name__ for m in demo_modules()] == [
        "directory.demo",
        "practices.demo",
        "resources.demo",
    ]


def test_apps_load_in_order_and_a_dry_run_rolls_them_all_back():
    modules = [fake_demo("first.demo", "premiere"), fake_demo("second.demo", "seconde")]

    reports = load_demo(write=False, modules=modules)

    assert list(reports) == ["first.demo", "second.demo"]
    assert reports["second.demo"]["vues"] == 1  # the first app's content, before the rollback
    assert not Organisation.objects.exists()

    load_demo(write=True, modules=modules)
    assert set(Organisation.objects.values_list("slug", flat=True)) == {"premiere", "seconde"}


def test_a_dry_run_reports_the_sheets_the_directory_demo_makes_possible():
    reports = load_demo(write=False)

    assert reports["practices.demo"]["fiches créées"] > 0
    assert reports["directory.demo"].places["created"] > 0
    assert not PracticeSheet.objects.exists() and not Organisation.objects.exists()
