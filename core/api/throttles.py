"""Per-IP budgets of the public API (rates in `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`).

Geocoding has its own budget, shared with the HTML pages and counted only when the
address is not cached already: GEOCODING_RATE, in geodata/geocoding.py.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from rest_framework.exceptions import APIException, Throttled
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle


class _LiveRateMixin:
    """Read the rate from the settings at each request, not once at import.

    DRF binds `THROTTLE_RATES` when the module is imported, so a rate changed by
    `override_settings` (or by reloading the settings) would be ignored.
    """

    scope: str

    def get_rate(self) -> str | None:
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError as error:
            raise ImproperlyConfigured(
                f"No throttle rate for scope {self.scope!r} in REST_FRAMEWORK."
            ) from error


class AnonThrottle(_LiveRateMixin, AnonRateThrottle):
    """Anonymous clients, per IP address (API_ANON_RATE)."""

    scope = "anon"


class BudgetSpent(Throttled):
    """A 429 for a budget counted outside DRF's throttles (e.g. GEOCODING_RATE): the
    message as given (it says when to come back) and `Retry-After: wait`."""

    def __init__(self, wait: int, message: str) -> None:
        APIException.__init__(self, message, "throttled")
        self.wait = wait
