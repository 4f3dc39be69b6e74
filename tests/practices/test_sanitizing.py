"""What an author writes can never run script or style in a reader's browser.

Every vector is written in every text field of a sheet (and in its title); the
pages that show it are then parsed: no author-made script, event handler,
style, frame or dangerous URL may come out.
"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from practices.models import TEXT_FIELDS
from practices.rendering import render_markdown

from .factories import make_sheet

pytestmark = pytest.mark.django_db

XSS_VECTORS = [
    "<script>alert('xss-1')</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    '<img src="x" onerror="alert(\'xss-2\')">',
    "<a href=\"javascript:alert('xss-3')\">lien</a>",
    "<a href=\"jAvAsCrIpT:alert('xss-4')\">lien</a>",
    "<a href=\" javascript:alert('xss-5')\">lien</a>",
    "<a href=\"java\tscript:alert('xss-6')\">lien</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert('xss-7')\">x</a>",
    "<a href=\"&#x6A;avascript&#x3A;alert('xss-8')\">x</a>",
    '<svg onload="alert(\'xss-9\')"><circle r="10"/></svg>',
    "<p style=\"background:url(javascript:alert('xss-10'))\">stylé</p>",
    '<span style="position:fixed;inset:0">recouvre la page</span>',
    '<iframe src="https://evil.example/"></iframe>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    "<object data=\"data:text/html,<script>alert('xss-11')</script>\"></object>",
    "<embed src=\"javascript:alert('xss-12')\">",
    "[markdown](javascript:alert('xss-13'))",
    "[markdown majuscules](JaVaScRiPt:alert('xss-14'))",
    "[entités](&#106;avascript:alert('xss-15'))",
    "![image](javascript:alert('xss-16'))",
    "[data](data:text/html;base64,PHNjcmlwdD4=)",
    "<div onmouseover=\"alert('xss-17')\">survol</div>",
    "<details open ontoggle=\"alert('xss-18')\">x</details>",
    "<body onload=\"alert('xss-19')\">",
    "<style>body { display: none }</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('xss-20')>",
    "<form action=\"javascript:alert('xss-21')\"><button>envoyer</button></form>",
    "<a href=\"vbscript:msgbox('xss-22')\">vb</a>",
    "<!--<script>alert('xss-23')</script>-->",
    "<<script>script>alert('xss-24')<</script>/script>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('xss-25')>\"></noscript>",
]
PAYLOAD = "\n\n".join(XSS_VECTORS)
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster"}
FORBIDDEN_TAGS = {"iframe", "svg", "object", "embed", "style", "math", "img", "frame", "base"}


def as_browser_reads(url: str) -> str:
    """The URL as a browser parses it (WHATWG): tabs and newlines anywhere are dropped,
    controls and spaces around are trimmed; so "java\tscript:" is "javascript:" but
    "java script:" is a relative path."""
    url = url.translate({9: None, 10: None, 13: None})
    return url.strip("".join(chr(c) for c in range(33))).lower()


class PageAudit(HTMLParser):
    """Collects what a page would run or style on its own."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name == "style":
                self.problems.append(f"<{tag} style=…>")
            if name in URL_ATTRIBUTES and value:
                if as_browser_reads(value).startswith(DANGEROUS_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value!r}>")
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "script":
            attributes = dict(attrs)
            # The page's own scripts: files from /static/, the JSON for the map,
            # and django-leaflet's initialisation.
            if attributes.get("src", "").startswith("/static/"):
                return
            if attributes.get("type") == "application/json" and attributes.get("id"):
                return
            self._in_script = True

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and ("xss-" in data or "alert(" in data):
            self.problems.append(f"inline script with author text: {data[:80]!r}")


def audit(html: str) -> list[str]:
    parser = PageAudit()
    parser.feed(html)
    return parser.problems


@pytest.fixture
def hostile_sheet():
    fields = {name: PAYLOAD for name in TEXT_FIELDS}
    return make_sheet(
        "<script>alert('xss-title')</script> Fiche piégée", communes=["69266"], **fields
    )


def test_there_are_enough_vectors():
    assert len(XSS_VECTORS) >= 10


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_render_markdown_neutralises_each_vector(vector):
    html = str(render_markdown(vector))
    assert audit(html) == [], html
    lowered = html.lower()
    assert "<script" not in lowered
    assert "javascript:" not in lowered and "vbscript:" not in lowered
    assert "style=" not in lowered


def test_the_sheet_page_runs_nothing_the_author_wrote(client, hostile_sheet):
    response = client.get(hostile_sheet.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert audit(html) == []
    main = html[html.index('class="sheet__main"') : html.index('class="sheet__side"')]
    lowered = main.lower()
    assert "<script" not in lowered
    assert "javascript:" not in lowered
    assert "style=" not in lowered
    # The title is text: shown, escaped.
    assert "&lt;script&gt;alert(&#x27;xss-title&#x27;)&lt;/script&gt; Fiche piégée" in html
    # Harmless text around the vectors survives.
    assert "survol" in main and "stylé" in main


def test_the_list_page_runs_nothing_the_author_wrote(client, hostile_sheet):
    response = client.get(reverse("practices:list"))
    html = response.content.decode()
    assert audit(html) == []
    card = html[html.index('id="sheets-list"') : html.index("</ol>")]
    assert "<script" not in card.lower()
    assert "\\u003Cscript\\u003E" in html  # the title inside the map's JSON, escaped


def test_source_links_only_take_web_addresses(hostile_sheet):
    from django.core.exceptions import ValidationError

    from practices.models import SourceLink

    for url in ("javascript:alert(1)", "data:text/html,x", "vbscript:x"):
        with pytest.raises(ValidationError):
            SourceLink(sheet=hostile_sheet, url=url).full_clean()
