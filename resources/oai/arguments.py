"""What an OAI-PMH request asks, checked against the protocol before any query runs:
the verb and its arguments, the dates, and the resumption tokens we hand out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.http import QueryDict
from django.utils.translation import gettext as _

# verb -> (required arguments, optional arguments, whether resumptionToken is accepted)
LIST_ARGUMENTS = ({"metadataPrefix"}, {"from", "until", "set"}, True)
VERBS: dict[str, tuple[set[str], set[str], bool]] = {
    "GetRecord": ({"identifier", "metadataPrefix"}, set(), False),
    "Identify": (set(), set(), False),
    "ListIdentifiers": LIST_ARGUMENTS,
    "ListMetadataFormats": (set(), {"identifier"}, False),
    "ListRecords": LIST_ARGUMENTS,
    "ListSets": (set(), set(), True),
}
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
DATESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
TOKEN_SALT = "resources.oai.resumption"


class OAIError(Exception):
    """One of the protocol's error conditions, answered as <error code="…">message</error>."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def hides_arguments(self) -> bool:
        # The spec: after badVerb or badArgument, the <request> element carries no attribute.
        return self.code in ("badVerb", "badArgument")


@dataclass
class Harvest:
    """A ListIdentifiers or ListRecords request: its selection and where its list stands."""

    metadata_prefix: str
    set_spec: str = ""
    start: datetime | None = None  # inclusive
    end: datetime | None = None  # exclusive
    cursor: int = 0  # records sent before this page
    after: tuple[datetime, int] | None = None  # (updated_at, id) of the last record sent
    arguments: dict[str, str] = field(default_factory=dict)  # as first asked, for the next token


@dataclass
class OAIRequest:
    verb: str
    arguments: dict[str, str]


def datestamp(moment: datetime) -> str:
    """A UTC datestamp to the second, the repository's granularity."""
    return moment.astimezone(UTC).strftime(DATESTAMP_FORMAT)


def parse_request(query: QueryDict) -> OAIRequest:
    verbs = query.getlist("verb")
    if not verbs:
        raise OAIError("badVerb", _("Le verbe est absent de la requête."))
    if len(verbs) > 1:
        raise OAIError("badVerb", _("Le verbe est répété."))
    verb = verbs[0]
    if verb not in VERBS:
        raise OAIError("badVerb", _("« %(verb)s » n'est pas un verbe OAI-PMH.") % {"verb": verb})
    required, optional, resumable = VERBS[verb]
    allowed = required | optional | ({"resumptionToken"} if resumable else set())
    arguments: dict[str, str] = {}
    for name in query:
        if name == "verb":
            continue
        if name not in allowed:
            raise OAIError(
                "badArgument",
                _("L'argument « %(name)s » n'est pas admis par %(verb)s.")
                % {"name": name, "verb": verb},
            )
        values = query.getlist(name)
        if len(values) > 1:
            raise OAIError("badArgument", _("L'argument « %(name)s » est répété.") % {"name": name})
        if not values[0]:
            raise OAIError("badArgument", _("L'argument « %(name)s » est vide.") % {"name": name})
        arguments[name] = values[0]
    if "resumptionToken" in arguments:
        if len(arguments) > 1:
            raise OAIError(
                "badArgument", _("Le jeton de reprise (resumptionToken) s'emploie seul.")
            )
    else:
        missing = sorted(required - arguments.keys())
        if missing:
            raise OAIError(
                "badArgument",
                _("Argument obligatoire absent : %(names)s.") % {"names": ", ".join(missing)},
            )
    if verb in ("ListIdentifiers", "ListRecords") and "resumptionToken" not in arguments:
        date_window(arguments)  # bad dates are a badArgument, found before any query
    return OAIRequest(verb=verb, arguments=arguments)


def _parse_date(name: str, text: str) -> tuple[datetime, timedelta]:
    """The moment and the length of the granule it names (a day or a second)."""
    try:
        if DAY.match(text):
            return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC), timedelta(days=1)
        if SECOND.match(text):
            return datetime.strptime(text, DATESTAMP_FORMAT).replace(tzinfo=UTC), timedelta(
                seconds=1
            )
    except ValueError:
        pass
    raise OAIError(
        "badArgument",
        _("« %(name)s » doit être une date AAAA-MM-JJ ou AAAA-MM-JJThh:mm:ssZ.") % {"name": name},
    )


def date_window(arguments: dict[str, str]) -> tuple[datetime | None, datetime | None]:
    """`from` (inclusive) and `until` (inclusive, so the end of its day or second) as the
    half-open interval [start, end)."""
    start = end = None
    if "from" in arguments:
        start, from_granule = _parse_date("from", arguments["from"])
    if "until" in arguments:
        until, until_granule = _parse_date("until", arguments["until"])
        try:
            end = until + until_granule
        except OverflowError:  # until 9999-12-31: no end at all
            end = None
    if start and end:
        if from_granule != until_granule:
            raise OAIError(
                "badArgument", _("« from » et « until » doivent avoir la même granularité.")
            )
        if start > until:
            raise OAIError("badArgument", _("« from » est postérieur à « until »."))
    return start, end


def harvest_of(request: OAIRequest) -> Harvest:
    """The selection a ListIdentifiers or ListRecords request asks for, first page or next."""
    if "resumptionToken" in request.arguments:
        return read_token(request.arguments["resumptionToken"], request.verb)
    arguments = {k: v for k, v in request.arguments.items() if k != "resumptionToken"}
    start, end = date_window(arguments)
    return Harvest(
        metadata_prefix=arguments["metadataPrefix"],
        set_spec=arguments.get("set", ""),
        start=start,
        end=end,
        arguments=arguments,
    )


def make_token(verb: str, harvest: Harvest, *, cursor: int, last: tuple[datetime, int]) -> str:
    """A signed token: the verb, the original arguments, the position; it also carries the
    time it was made (TimestampSigner), hence its expiry."""
    state = {
        "verb": verb,
        "args": harvest.arguments,
        "cursor": cursor,
        "after": [last[0].astimezone(UTC).isoformat(), last[1]],
    }
    return signing.dumps(state, salt=TOKEN_SALT, compress=True)


def token_expiry() -> datetime:
    return datetime.now(UTC) + timedelta(seconds=settings.OAI_TOKEN_MAX_AGE)


def read_token(token: str, verb: str) -> Harvest:
    try:
        state = signing.loads(token, salt=TOKEN_SALT, max_age=settings.OAI_TOKEN_MAX_AGE)
    except signing.SignatureExpired as error:
        raise OAIError("badResumptionToken", _("Ce jeton de reprise a expiré.")) from error
    except signing.BadSignature as error:
        raise OAIError("badResumptionToken", _("Ce jeton de reprise n'est pas valide.")) from error
    try:
        if state["verb"] != verb:
            raise ValueError(state["verb"])
        arguments = {str(k): str(v) for k, v in state["args"].items()}
        start, end = date_window(arguments)
        moment, pk = state["after"]
        return Harvest(
            metadata_prefix=arguments["metadataPrefix"],
            set_spec=arguments.get("set", ""),
            start=start,
            end=end,
            cursor=int(state["cursor"]),
            after=(datetime.fromisoformat(moment), int(pk)),
            arguments=arguments,
        )
    except (KeyError, TypeError, ValueError, AttributeError, OAIError) as error:
        raise OAIError(
            "badResumptionToken", _("Ce jeton de reprise ne vaut pas pour cette requête.")
        ) from error
