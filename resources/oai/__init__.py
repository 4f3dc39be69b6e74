"""An OAI-PMH 2.0 data provider for the documentary base (https://www.openarchives.org/OAI/
openarchivesprotocol.html), so that library aggregators can harvest the published notices as
unqualified Dublin Core (`oai_dc`, the only metadata format).

- Endpoint `/oai/`, GET or POST (application/x-www-form-urlencoded), no CSRF token.
- Items are the PUBLISHED notices; identifiers are `oai:<repository id>:notice/<slug>`, the
  repository id being settings.OAI_REPOSITORY_ID (the host of SITE_URL when empty). A slug is
  set once, at creation, and the admin never changes it, so identifiers stay stable.
- Datestamps are the notices' `updated_at`, in UTC, to the second (granularity
  YYYY-MM-DDThh:mm:ssZ; `from`/`until` also accept days, `until` is inclusive).
- Sets (`ListSets`): `type` > `type:<notice type>`, `theme` > `theme:<theme slug>` and
  `region` > `region:<INSEE code>` (a notice is in a région's set when it covers the région,
  one of its départements or one of its communes). Record headers list the leaf sets.
- deletedRecord is "no": nothing records when a notice stops being published, so a withdrawn
  notice simply disappears from the answers (harvesters are told not to expect deletions).
- Lists come OAI_PAGE_SIZE records at a time, ordered by (updated_at, id); the resumption token
  is signed (django.core.signing), names the verb, the original arguments and the last record
  sent (keyset: a record changed meanwhile moves to the end, none is skipped), and expires
  after OAI_TOKEN_MAX_AGE seconds.

Modules: `arguments` (request validation, dates, tokens), `selectors` (queries), `dublin_core`
(a notice as oai_dc), `protocol` (the verbs, as XML), `views` (the endpoint).
"""
