"""Freshness reminders: each editor gets one e-mail listing what she should confirm.

Apps offer what is due through a `reminders` module with `reminders(*, today)`,
returning a `Reminder` per row and recipient (the same discovery as core/demo.py:
core names no app). A reminder carries its links, already absolute (SITE_URL):
the public page, the signed one-click confirmation (core/signing.py) and the admin
form. Here they are grouped into one message per recipient, sent by
`manage.py send_freshness_reminders` (cron).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext, ngettext

from .signing import link_max_age

logger = logging.getLogger(__name__)

MODULE = "reminders"


@dataclass(frozen=True)
class Recipient:
    user_id: int
    email: str
    name: str


@dataclass(frozen=True)
class Topic:
    """What a group of rows is, and what is asked about them (one per organisation and kind)."""

    heading: str
    question: str


@dataclass(frozen=True)
class Reminder:
    """One row to confirm, for one recipient: the links are hers (signed with her id)."""

    recipient: Recipient
    topic: Topic
    title: str
    state: str  # e.g. "jamais vérifiées", "vérifiées le 3 mars 2025"
    page_url: str
    confirm_url: str
    confirm_label: str
    edit_url: str


@dataclass
class Mail:
    recipient: Recipient
    topics: dict[Topic, list[Reminder]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(len(rows) for rows in self.topics.values())


def reminder_modules() -> list[ModuleType]:
    """The `reminders` module of every installed app offering reminders, in INSTALLED_APPS order."""
    modules = [
        import_module(f"{config.name}.{MODULE}")
        for config in apps.get_app_configs()
        if config.name != __package__ and module_has_submodule(config.module, MODULE)
    ]
    return [module for module in modules if callable(getattr(module, "reminders", None))]


def collect(*, today: date, modules: list[ModuleType] | None = None) -> list[Reminder]:
    found: list[Reminder] = []
    for module in reminder_modules() if modules is None else modules:
        found.extend(module.reminders(today=today))
    return found


def group(reminders: list[Reminder]) -> list[Mail]:
    """One mail per recipient (by address), topics and rows in the order the apps gave them."""
    mails: dict[str, Mail] = {}
    for reminder in reminders:
        key = reminder.recipient.email.lower()
        mail = mails.setdefault(key, Mail(reminder.recipient))
        mail.topics.setdefault(reminder.topic, []).append(reminder)
    return [mails[key] for key in sorted(mails)]


def message(mail: Mail, *, today: date) -> EmailMessage:
    subject = ngettext(
        "Repères : %(count)d information à confirmer",
        "Repères : %(count)d informations à confirmer",
        mail.count,
    ) % {"count": mail.count}
    body = render_to_string(
        "core/freshness_reminder.txt",
        {
            "recipient": mail.recipient,
            "topics": list(mail.topics.items()),
            "expires": today + link_max_age(),
            "site_url": settings.SITE_URL,
        },
    )
    return EmailMessage(subject=subject, body=body, to=[mail.recipient.email])


@dataclass
class Report:
    mails: list[Mail]
    sent: int = 0
    failed: list[str] = field(default_factory=list)


def send_reminders(*, today: date, dry_run: bool = False) -> Report:
    """Build every mail and, unless `dry_run`, send them; a failed address does not stop the rest."""
    report = Report(group(collect(today=today)))
    if dry_run or not report.mails:
        return report
    with get_connection() as connection:
        for mail in report.mails:
            email = message(mail, today=today)
            email.connection = connection
            try:
                email.send()
            except OSError:  # smtplib's errors included
                logger.exception("Reminder to %s not sent", mail.recipient.email)
                report.failed.append(mail.recipient.email)
            else:
                report.sent += 1
    return report


def describe(mail: Mail) -> str:
    """One line for the command's output."""
    return gettext("%(email)s : %(count)s") % {
        "email": mail.recipient.email,
        "count": ", ".join(f"{topic.heading} ({len(rows)})" for topic, rows in mail.topics.items()),
    }
