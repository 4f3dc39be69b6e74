"""The accessibility statement (« Déclaration d'accessibilité »), on the RGAA's model.

What it says about the automated checks must stay true of tests/browser/test_axe.py: the
pages listed here are the ones that test opens, at the same two sizes.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

# When the checks below were last reviewed by hand and the statement brought up to date.
STATEMENT_DATE = date(2026, 12, 1)
AXE_VERSION = "4.14"
VIEWPORTS = [(390, 844, _("téléphone")), (1280, 800, _("ordinateur"))]
TESTED_PAGES = [
    _("l'accueil"),
    _("la recherche de l'annuaire, formulaire vide puis avec les résultats d'une adresse"),
    _("la page d'un lieu et celle d'une organisation"),
    _("la page d'une région et celle d'un département"),
    _("la liste des pratiques et une fiche pratique"),
    _("l'outil « Intégrer une carte » et une carte intégrée"),
    _("la page des exports de données"),
    _("la documentation de l'API"),
    _("cette déclaration"),
    _("la page « introuvable » (erreur 404)"),
    _("la page de connexion de l'administration"),
    _("la fiche d'orientation imprimable"),
    _("la base documentaire : recherche, notice, bibliographies"),
    _(
        "en arabe, de droite à gauche (téléphone) : l'accueil, les résultats d'une recherche, "
        "un lieu, la fiche d'orientation, la base documentaire et cette déclaration"
    ),
]


@require_safe
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/accessibility.html",
        {
            "statement_date": STATEMENT_DATE,
            "axe_version": AXE_VERSION,
            "viewports": VIEWPORTS,
            "tested_pages": TESTED_PAGES,
            "contact_email": settings.CONTACT_EMAIL,
        },
    )
