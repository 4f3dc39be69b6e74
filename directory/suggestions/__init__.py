"""« Signaler une erreur »: corrections of a place sent by the public, handled by its editors.

    /annuaire/lieux/<slug>/signaler/         the public form (views.py, forms.SuggestionForm)
    /annuaire/lieux/<slug>/signaler/merci/   the thank-you page it redirects to
    /admin/directory/suggestion/             the queue (admin.py): an organisation's editors see
                                             their own places' suggestions, moderators all

The form has no captcha. A honeypot field, out of sight and out of the accessibility tree,
catches the robots that fill every field: they are thanked and nothing is stored. Each client
address may send `SUGGESTION_RATE` (5 an hour) valid reports; the next is a 429 page. The
address is kept only as a keyed hash (core/ratelimit.py).

Accepting goes through the normal edit path: the editor corrects the fields the report is about
(forms.correction_form_class, prefilled with the place as it is), and `services.suggestion_accept`
saves the place with `place_save`, the history saying « Suggestion n° 12 (signalement public) ».
"Le lieu a fermé" archives the place, so only moderators accept it (directory.accept_suggestion).
Refusing records who refused and when. Either way a reporter who left her e-mail is told.
Who may do what: directory/rules.py.
"""
