"""Demonstration content, gathered app by app and loaded in one transaction.

An app with demo content says so by having a `demo` module with
`load(*, write: bool)`, which upserts its content and returns a report with
`summary()` (one line of counts) and `warnings()` (lines worth a look). Apps are
loaded in INSTALLED_APPS order, so each finds the content of the apps it depends
on (the practice sheets link the directory's demo places by slug).

Every app's `load` runs with write=True inside one transaction, which a dry run
rolls back as a whole: an app's own dry run would roll back its content before
the next app could see it, and that one would report what it cannot link.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType
from typing import Protocol

from django.apps import apps
from django.db import transaction
from django.utils.module_loading import module_has_submodule


class DemoReport(Protocol):
    def summary(self) -> str: ...

    def warnings(self) -> list[str]: ...


def demo_modules() -> list[ModuleType]:
    """The `demo` module of every installed app that has one, in INSTALLED_APPS order."""
    modules = [
        import_module(f"{config.name}.demo")
        for config in apps.get_app_configs()
        if module_has_submodule(config.module, "demo") and config.name != __package__
    ]
    for module in modules:
        if not callable(getattr(module, "load", None)):
            raise TypeError(f"{module.__name__} has no load(*, write) function.")
    return modules


def load_demo(*, write: bool, modules: list[ModuleType] | None = None) -> dict[str, DemoReport]:
    """Each app's report by module name ("directory.demo"); on a dry run, nothing stays."""
    with transaction.atomic():
        reports = {
            module.__name__: module.load(write=True)
            for module in (demo_modules() if modules is None else modules)
        }
        if not write:
            transaction.set_rollback(True)
    return reports
