"""Field extractors: one function per program fact, each returning a value with its quote.

Every extractor reads sentences (or two adjacent lines, for "label | value" layouts) of a
:class:`~gradpath.extract.text.Page` and returns a :class:`FieldValue` whose evidence is a
substring of that sentence, so the quote is in the page by construction. When a rule cannot
quote its value it returns the empty value (None, or [] for list fields): an unquotable value
would be an invented fact.

Value conventions follow the development labels (``program-pages/labels.jsonl``): format is
online|campus|hybrid (null when several are offered and the page is not about one of them);
durations are months, a number or [min, max], and only when the page ties them to full- or
part-time study; tuition is USD, a number or {variant: amount}; gre is required|waivable|
optional|not required; min_gpa is an explicit admission minimum only; accreditation lists
explicit programmatic claims only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from gradpath.extract.text import Page, Segment, clip, fold, plain
from gradpath.extract.topics import Taxonomy, find_topics

SCALAR_FIELDS = (
    "institution", "program_name", "degree", "format", "credits", "duration_months_fulltime",
    "duration_months_parttime", "tuition_total_usd", "tuition_per_credit_usd", "gre", "min_gpa",
    "capstone_or_practicum",
)  # fmt: skip
LIST_FIELDS = ("formats_offered", "prerequisites", "accreditation", "curriculum_topics", "start_terms")
FIELD_NAMES = (
    "institution", "program_name", "degree", "format", "formats_offered", "credits",
    "duration_months_fulltime", "duration_months_parttime", "tuition_total_usd",
    "tuition_per_credit_usd", "gre", "min_gpa", "prerequisites", "accreditation",
    "curriculum_topics", "capstone_or_practicum", "start_terms",
)  # fmt: skip


@dataclass
class FieldValue:
    """A value, the page quote that supports it, and how sure the rule is (0..1).

    ``items`` keeps one quote per list item (the JSON contract has one ``evidence`` per field,
    the shortest page stretch covering all item quotes; reviewers want each item's own quote).
    """

    value: Any = None
    evidence: str | None = None
    confidence: float = 0.0
    items: tuple[tuple[Any, str], ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The contract shape: {"value", "evidence", "confidence"}."""
        return {"value": self.value, "evidence": self.evidence, "confidence": round(self.confidence, 2)}


def empty(name: str) -> FieldValue:
    """The 'page is silent' value of a field: [] for list fields, None otherwise."""
    return FieldValue([] if name in LIST_FIELDS else None)


def _found(value: Any, seg_text: str, m: re.Match[str] | None, conf: float, margin: int = 120) -> FieldValue:
    quote = clip(seg_text, m.start(), m.end(), margin=margin) if m else clip(seg_text, 0, len(seg_text))
    return FieldValue(value, quote, conf)


def _listed(page: Page, items: list[tuple[Any, str]], conf: float) -> FieldValue:
    if not items:
        return FieldValue([])
    span = page.span([q for _, q in items], max_chars=1_000_000)
    return FieldValue([v for v, _ in items], span, conf, tuple(items))


def _num(text: str) -> float | int:
    x = float(text.replace(",", ""))
    return int(x) if x.is_integer() else x


def _contexts(page: Page) -> Iterator[tuple[Segment, str]]:
    """Each sentence, and its text joined to the previous short line (for 'Label |' / value)."""
    for seg in page.sentences:
        prev = page.lines[seg.line_no - 1] if seg.line_no > 0 else ""
        first_of_line = page.lines[seg.line_no].startswith(seg.text)
        ctx = f"{prev} {seg.text}" if first_of_line and prev and len(prev) < 60 else seg.text
        yield seg, ctx


# --- credits -------------------------------------------------------------------------------------
_CREDIT = re.compile(
    r"(?<![\d.$,])(\d{2,3})(?:\.0)?[ -](?:approved |graduate |academic |total )?(?:semester |quarter |graduate )?"
    r"(?:credit[- ]hours?|credit units|credits?|semester hours|hours|points|units)(?![a-z])",
    re.I,
)
_CREDIT_LABEL = re.compile(
    r"(?:minimum required credits|credits required|total credits|^credit hours|^credits)"
    r"\s*[:|]\W{0,3}(\d{2,3})(?:\.0)?\b",
    re.I,
)
_CREDIT_FACT = re.compile(r"^(?:[•\-*–·]\s*)?(\d{2,3}) (?:total )?(?:credit hours|credits|semester hours|units)$", re.I)
_CREDIT_CUE = re.compile(
    r"requir|total|minimum|consist|compris|completion|complete|curriculum|program is|degree is|equaling|"
    r"\d-credit|credit[- ]hour (?:graduate )?program|credits? \(|[- ]credits?\)|all degrees",
    re.I,
)
_CREDIT_SENTENCE_VETO = re.compile(
    r"certificate|ph\.?d|doctoral|\bdual\b|both degrees|residency|double dawgs|\bminor\b|per (?:term|semester|quarter)",
    re.I,
)
_CREDIT_LOCAL_VETO = re.compile(
    r"core|elective|concentration|foundation|of required|up to|maximum|no more than|additional|transfer|last|"
    r"per (?:term|semester|quarter|course)|prior to|must be (?:formal|research)|of (?:a )?[\"“]c[\"”]",
    re.I,
)
_CREDIT_AT = re.compile(r"(\d{2,3}) credits? at \$", re.I)


def credits(page: Page) -> FieldValue:
    """Total credits the degree requires (first stated total; a 'totaling N' later in the same
    paragraph wins over a partial count before it)."""
    cands: list[tuple[int, bool, int | float, FieldValue]] = []
    for seg, ctx in _contexts(page):
        text = seg.plain
        if _CREDIT_SENTENCE_VETO.search(text):
            continue
        for m in list(_CREDIT.finditer(text)) + list(_CREDIT_LABEL.finditer(text)) + list(_CREDIT_AT.finditer(text)):
            value = _num(m.group(1))
            if not 15 <= value <= 130:
                continue
            # the words right around the number, cut at the neighbouring clause or figure
            before = re.split(r"[\d;.]", text[max(0, m.start() - 30) : m.start()])[-1]
            after = re.split(r"[\d;.,(]", text[m.end() : m.end() + 30])[0]
            if _CREDIT_LOCAL_VETO.search(before + " " + after):
                continue
            fact_line = bool(_CREDIT_FACT.match(text))  # "• 36 credit hours" in a fact box
            if not (
                _CREDIT_CUE.search(ctx)
                or fact_line
                or _CREDIT_AT.match(m.group(0))
                or re.match(r"\s*\|", text[m.end() :])
            ):
                continue
            is_total = bool(re.search(r"total", text[max(0, m.start() - 25) : m.end()], re.I))
            cands.append((seg.line_no, is_total, value, _found(value, seg.text, m, 0.85)))
    if not cands:
        return FieldValue()
    line_no, _, value, best = cands[0]
    for ln, is_total, v, fv in cands[1:]:
        if ln == line_no and is_total and v != value:
            return fv
    return best


# --- duration ----------------------------------------------------------------------------------
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "a": 1, "an": 1}
_NUMBER = r"(\d+(?:\.\d+)?|one|two|three|four|five)"
_MONTHS = re.compile(rf"\(?{_NUMBER}(?:\s*(?:-|–|to)\s*{_NUMBER})?[ -]months?\)?", re.I)
_YEARS = re.compile(
    rf"{_NUMBER}(?:\s*(?:-|–|to)\s*{_NUMBER})?(?:\s*\(\+\))?[ -](?:calendar |academic )?years?(?![- ]old)", re.I
)
_FULL = re.compile(r"full[- ]?time|full time", re.I)
_PART = re.compile(r"part[- ]?time", re.I)
_DURATION_VETO = re.compile(
    r"within|time limit|up to|no more than|maximum|window|deadline|experience|ago|\bold\b|fellowship|"
    r"ph\.?d|doctoral|full- or part|full or part|year 1|year 2",
    re.I,
)
_PACE_DECLARED = re.compile(r"(?:this|the program) is an? (part|full)[- ]?time (?:online )?program", re.I)


def _to_months(m: re.Match[str], unit: int) -> list[float]:
    out = []
    for g in m.groups():
        if g:
            out.append((_WORDS[g.lower()] if g.lower() in _WORDS else float(g)) * unit)
    return out


def _clause_months(clause: str) -> tuple[list[float], re.Match[str] | None]:
    months = list(_MONTHS.finditer(clause))
    if months:  # "1.5 academic years (17 months)": the month figure is the precise one
        return _to_months(months[0], 1), months[0]
    years = list(_YEARS.finditer(clause))
    if years:
        return _to_months(years[0], 12), years[0]
    return [], None


def _as_value(values: list[float]) -> int | float | list[int | float]:
    lo, hi = min(values), max(values)
    norm = [int(v) if float(v).is_integer() else round(v, 1) for v in (lo, hi)]
    return norm[0] if lo == hi else norm


def durations(page: Page) -> tuple[FieldValue, FieldValue]:
    """(full-time, part-time) program length in months, only where the page names the pace."""
    found: dict[str, list[tuple[list[float], str]]] = {"full": [], "part": []}
    declared = _PACE_DECLARED.search(page.normalized)
    pace_of_page = declared.group(1).lower() if declared else None
    for seg in page.sentences:
        text = seg.plain
        for clause in re.split(r",? or |;|, but ", text):
            if _DURATION_VETO.search(clause):
                continue
            full, part = bool(_FULL.search(clause)), bool(_PART.search(clause))
            if full == part:
                if full or not pace_of_page or not re.search(r"program|degree", clause, re.I):
                    continue
                pace = pace_of_page
            else:
                pace = "full" if full else "part"
            values, m = _clause_months(clause)
            if m is None or not all(3 <= v <= 72 for v in values):
                continue
            start = text.find(clause)
            found[pace].append((values, clip(seg.text, start + m.start(), start + m.end(), margin=90)))
    out = []
    for pace in ("full", "part"):
        hits = found[pace]
        if not hits:
            out.append(FieldValue())
            continue
        values = [v for vs, _ in hits for v in vs]
        quotes = [q for _, q in hits]
        out.append(FieldValue(_as_value(values), page.span(quotes, max_chars=1_000_000), 0.8))
    return out[0], out[1]


# --- tuition -----------------------------------------------------------------------------------
_MONEY = r"\$\s?(\d{1,3}(?:,\d{3})+|\d{2,6})(?:\.\d{2})?"
_PER_CREDIT = re.compile(
    rf"{_MONEY}\s*(?:per|/|a|each)\s*(?:semester |quarter )?credit(?:[- ]hour)?|"
    rf"(\d{{2,3}}) credits? at {_MONEY} each|(?:cost|tuition|price) per credit(?: hour)?\W{{1,4}}{_MONEY}",
    re.I,
)
_TOTAL = re.compile(
    rf"total (?:program )?(?:tuition|cost)(?: is| of)?\W{{0,4}}{_MONEY}|"
    rf"{_MONEY}\s*(?:in )?total(?: tuition| cost)?(?!\s*\w*:)|"
    rf"tuition\s*\((\d{{2,3}}) credits? at {_MONEY} each\)\s*{_MONEY}",
    re.I,
)
_PERIODIC = re.compile(r"per (?:year|term|semester|quarter|month|course|session)|/\s*(?:yr|year|term)|annual", re.I)
_FEE = re.compile(r"\bfees?\b|deposit|insurance|application", re.I)


def _money_groups(m: re.Match[str]) -> list[float]:
    return [float(x.replace(",", "")) for x in re.findall(r"\$\s?(\d[\d,]*)", m.group(0))]


def _variants(ctx: str, text: str, matches: list[re.Match[str]], ok: Callable[[float], bool]) -> FieldValue:
    """One amount, or {variant: amount} when the sentence prices several named variants
    ("$900 per credit hour for residents and $1,350 … for non-residents")."""
    found: dict[str, float] = {}
    for m in matches:
        amounts = [a for a in _money_groups(m) if ok(a)]
        label = re.match(r"\s*for ([a-z][\w -]{2,30}?)(?=[,.;]| and |$)", text[m.end() :], re.I)
        if amounts and label:
            found.setdefault(label.group(1).strip(), amounts[-1])
    first = next((m for m in matches if any(ok(a) for a in _money_groups(m))), None)
    if first is None:
        return FieldValue()
    if len(set(found.values())) >= 2:
        value: Any = {k: _num(str(v)) for k, v in found.items()}
        return FieldValue(value, clip(ctx, first.start(), matches[-1].end() + 40, margin=20), 0.75)
    amount = [a for a in _money_groups(first) if ok(a)][-1]
    return FieldValue(_num(str(amount)), clip(ctx, first.start(), first.end(), margin=60), 0.85)


def tuition(page: Page) -> tuple[FieldValue, FieldValue]:
    """(total tuition, tuition per credit) in USD as the page states them."""
    total: FieldValue = FieldValue()
    per: FieldValue = FieldValue()
    for seg, ctx in _contexts(page):
        text = plain(ctx)
        offset = len(ctx) - len(seg.text)
        matches = [m for m in _PER_CREDIT.finditer(text) if not _FEE.search(text[max(0, m.start() - 30) : m.start()])]
        if per.value is None and matches:
            per = _variants(ctx, text, matches, lambda a: a < 10_000)
        for m in _TOTAL.finditer(text):
            amounts = [a for a in _money_groups(m) if a >= 3_000]
            if total.value is None and amounts and not _PERIODIC.search(text[m.start() : m.end() + 20]):
                total = FieldValue(_num(str(amounts[-1])), clip(ctx, m.start(), m.end(), margin=60), 0.8)
        if offset and total.evidence and not page.contains(total.evidence):
            total = FieldValue()  # a quote across a line break must still be in the page
    return total, per


# --- GRE ---------------------------------------------------------------------------------------
_GRE = re.compile(r"(?<![a-z])gre(?![a-z])|graduate record exam", re.I)
_WAIVE = re.compile(
    r"waive|waiver|not required (?:for|of|if) (?:prospective |those |applicants |students )|unless|exempt", re.I
)
_OPTIONAL = re.compile(
    r"optional|recommended|encouraged|if provided|not required,? but|may (?:submit|provide|include)", re.I
)
_NOT_REQUIRED = re.compile(
    r"(?:not|no) (?:be )?requir|no gre|do(?:es)? not (?:require|need)|never asks?|not needed|without (?:the )?gre", re.I
)
_REQUIRED = re.compile(r"requir(?:ed|es)\b|must|including the gre|percentile|minimum (?:gre|score)|scores? of \d", re.I)
_GRE_ASIDE = re.compile(r"such as|other evidence|ph\.?d (?:program|applicants|students)", re.I)
_GRE_SKIP = re.compile(r"toefl|ielts|duolingo|english", re.I)
_GRE_RANK = {"waivable": 4, "not required": 3, "optional": 2, "required": 1}


def gre(page: Page) -> FieldValue:
    """GRE policy; across sentences a waiver beats 'not required', which beats 'optional'."""
    best: tuple[int, FieldValue] | None = None
    for seg, ctx in _contexts(page):
        text = seg.plain
        m = _GRE.search(text)
        if not m and _GRE.search(ctx) and re.search(r"not required|optional|waiv", text, re.I):
            m, text = _GRE.search(ctx), plain(ctx)  # "GRE (…) |" on one line, "Not required." on the next
        if not m or _GRE_ASIDE.search(text):
            continue
        if _WAIVE.search(text):
            status = "waivable"
        elif _OPTIONAL.search(text):
            status = "optional"
        elif _NOT_REQUIRED.search(text):
            status = "not required"
        elif _GRE_SKIP.search(text):
            continue
        elif _REQUIRED.search(text) or seg.line_no in page.admission_lines:
            status = "required"
        else:
            continue
        quote_src = seg.text if text == seg.plain else ctx
        fv = FieldValue(status, clip(quote_src, m.start(), m.end(), margin=160), 0.85 if status != "required" else 0.7)
        if not page.contains(fv.evidence or ""):
            continue
        if best is None or _GRE_RANK[status] > best[0]:
            best = (_GRE_RANK[status], fv)
    return best[1] if best else FieldValue()


# --- minimum GPA -------------------------------------------------------------------------------
_GPA = re.compile(r"gpa|grade point average", re.I)
_GPA_NUM = re.compile(r"(?<![\d./])([234]\.\d{1,2})(?![\d])(?!\s*scale)", re.I)
_GPA_CUE = re.compile(r"minimum|at least|or (?:higher|better|above)|min\.", re.I)
_GPA_VETO = re.compile(
    r"maintain|falls? below|below|probation|graduation|to graduate\b|dismiss|core courses|target|average gpa|"
    r"by the end of|"
    r"in courses taken|achievement of|good standing|competitive|typically|recommended|preferred",
    re.I,
)


def min_gpa(page: Page) -> FieldValue:
    """The explicit minimum GPA for admission (first one stated)."""
    for seg in page.sentences:
        text = seg.plain
        if not _GPA.search(text) or not _GPA_CUE.search(text) or _GPA_VETO.search(text):
            continue
        for m in _GPA_NUM.finditer(text):
            if float(m.group(1)) <= 4.0 and not re.match(r"\s*\)?\s*in undergraduate", text[m.end() :]):
                return _found(_num(m.group(1)), seg.text, m, 0.85)
    return FieldValue()


# --- accreditation -----------------------------------------------------------------------------
_CLAIM = re.compile(
    r"accredited by|is (?:fully )?accredited|accreditation (?:by|from)|fully accredited|holds accreditation", re.I
)


def accreditation(page: Page, taxonomy: Taxonomy) -> FieldValue:
    """Programmatic accreditors the page explicitly says accredit this program."""
    items: list[tuple[Any, str]] = []
    for seg in page.sentences:
        text = seg.plain
        for acc in taxonomy.accreditors:
            if acc.id in [v for v, _ in items]:
                continue
            names = [m for pat in acc.names for m in pat.finditer(text) if _word_bounded(text, m)]
            if not names:
                continue
            without_names = text
            for m in names:  # the accreditor's own name ("Commission on Accreditation …") is no claim
                without_names = without_names.replace(m.group(0), " " * len(m.group(0)))
            if not _CLAIM.search(without_names):
                continue
            if any(nm.pattern.search(text) for nm in taxonomy.accreditation_near_misses):
                continue
            items.append((acc.id, clip(seg.text, names[0].start(), names[0].end(), margin=200)))
    return _listed(page, items, 0.9)


def _word_bounded(text: str, m: re.Match[str]) -> bool:
    before = text[m.start() - 1] if m.start() else " "
    after = text[m.end()] if m.end() < len(text) else " "
    return not before.isalnum() and not after.isalnum()


# --- capstone / practicum ----------------------------------------------------------------------
_NO_CAPSTONE = re.compile(
    r"(?:capstone|practicum)\s*[|:]?\s*n/?a\b|no (?:capstone|practicum)"
    r"|does not (?:require|include) a (?:capstone|practicum)",
    re.I,
)
_CAPSTONE = re.compile(
    r"capstone|practic(?:um|a)\b|culminat\w* (?:\w+ ){0,3}project|final (?:applied )?project|clinical rotations?|"
    r"research project (?:involving|and thesis are mandatory)|internships? (?:is|are) (?:required|mandatory)|"
    r"\d+ credits? of internship|internship\(s\) is a required|master[’']s project",
    re.I,
)
_CAPSTONE_VETO = re.compile(r"have completed|alumni|may (?:choose|elect|opt)|fellowship", re.I)


def capstone(page: Page) -> FieldValue:
    """True when the program requires an applied project/practicum; False when the page says none."""
    for seg in page.sentences:
        if _NO_CAPSTONE.search(seg.plain):
            return _found(False, seg.text, _NO_CAPSTONE.search(seg.plain), 0.9)
    for seg in page.sentences:
        text = seg.plain
        m = _CAPSTONE.search(text)
        if not m or re.search(r"opportunit", text[: m.start()], re.I):  # "opportunities for internships"
            continue
        if not _CAPSTONE_VETO.search(text) and seg.line_no not in page.admission_lines:
            return _found(True, seg.text, m, 0.8)
    return FieldValue()


# --- format ------------------------------------------------------------------------------------
_FORMATS: dict[str, re.Pattern[str]] = {
    "online": re.compile(
        r"(?:fully|100%|entirely|completely|exclusively) online|online (?:program|format|degree|graduate degree|master|"
        r"ms\b|mps\b|m\.s\.|offering)|(?:program|degree|it) is (?:offered|available|delivered) (?:\w+ )?online|"
        r"offered (?:fully|entirely|exclusively) online|format: online|distance learning|hosted online|"
        r"(?:program|degree) can be completed (?:entirely |fully )?online|online and (?:onsite|on-campus)|"
        r"combination of hybrid and online|program offered (?:\w+ ){0,3}online",
        re.I,
    ),
    "campus": re.compile(
        r"on-campus (?:program|format|offering)|(?<!the )on-campus$|^on-campus\b|study format:? on-campus|"
        r"onsite (?:offering|format|program)|online and onsite|offered onsite|must be on campus|location: \w+ campus|"
        r"health data science on-campus|face-to-face (?:program|format)|program offered (?:both )?on campus|"
        r"delivered face-to-face",
        re.I,
    ),
    "hybrid": re.compile(r"hybrid|hyflex|blended (?:format|learning|program)|low-residency", re.I),
}
_FORMAT_VETO = re.compile(
    r"on-campus (?:students|counterpart|degree)|online application|apply online|massive open online"
    r"|ranked|ranking|list of",
    re.I,
)


def formats(page: Page) -> tuple[FieldValue, FieldValue]:
    """(format, formats_offered): every delivery mode the page offers, and the page's own one."""
    items: list[tuple[Any, str]] = []
    for line in page.lines:
        text = plain(line)
        if _FORMAT_VETO.search(text):
            continue
        for fmt, pat in _FORMATS.items():
            m = pat.search(text)
            if m and fmt not in [v for v, _ in items]:
                items.append((fmt, clip(line, m.start(), m.end(), margin=80)))
    offered = _listed(page, items, 0.8)
    if len(items) == 1:
        return FieldValue(items[0][0], items[0][1], 0.8), offered
    mixed = next((q for v, q in items if v == "hybrid" and "combination of hybrid" in q), None)
    if mixed:  # a curriculum of hybrid and online courses is delivered hybrid
        return FieldValue("hybrid", mixed, 0.6), offered
    # a page that is one offering of several (".../online", ".../onsite") is about that format
    path = urlparse(page.url or "").path.lower().rstrip("/")
    for fmt, key in (("online", "online"), ("campus", "onsite"), ("campus", "on-campus")):
        if fmt in [v for v, _ in items] and path.endswith("/" + key):
            return FieldValue(fmt, next(q for v, q in items if v == fmt), 0.7), offered
    return FieldValue(), offered


# --- start terms -------------------------------------------------------------------------------
_TERM = re.compile(r"(?<![a-z])(?<!this )(?<!last )(fall|spring|summer|autumn|winter)(?![a-z])", re.I)
_MONTH = re.compile(r"(?<![a-z])(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+20\d\d", re.I)
_MONTH_NAMES = {
    "jan": "january", "feb": "february", "mar": "march", "apr": "april", "may": "may", "jun": "june",
    "jul": "july", "aug": "august", "sep": "september", "oct": "october", "nov": "november", "dec": "december",
}  # fmt: skip
_START_CUE = re.compile(
    r"admit|admission|apply|applying|applicant|application|deadline|cohort|intake|matriculat|enter (?:only )?in|"
    r"launch|start date|starts?\s+(?:the\s+|a\s+|in\s+)?(?:fall|spring|summer|autumn|winter)|commences with|"
    r"(?:fall|spring|summer|autumn|winter) start|start terms?|entry terms?|students (?:may|can) (?:begin|start)",
    re.I,
)
_START_VETO = re.compile(
    r"per term|coursework in|seminar|every (?:fall|spring)|courses? (?:are )?offered|internal|graduated", re.I
)


def start_terms(page: Page) -> FieldValue:
    """Terms in which new students can start, as the page names them (fall, spring, …)."""
    items: list[tuple[Any, str]] = []
    seen: set[str] = set()
    for seg, ctx in _contexts(page):
        text = seg.plain
        # "FALL 2020" as a header in a block of application dates
        nearby = fold(" ".join(page.lines[max(0, seg.line_no - 3) : seg.line_no + 4]))
        dated_header = re.fullmatch(r"(?:fall|spring|summer|autumn|winter)\s+20\d\d", text, re.I) and re.search(
            r"start date|deadline|admission|apply", nearby
        )
        if not dated_header and (not _START_CUE.search(plain(ctx)) or _START_VETO.search(text)):
            continue
        if re.search(r"ph\.?d", text, re.I) and not re.search(r"master|\bms\b|mhi|mps", text, re.I):
            continue
        terms = list(_TERM.finditer(text))
        for m in terms:
            term = m.group(1).lower()
            if term not in seen:
                seen.add(term)
                items.append((term, clip(seg.text, m.start(), m.end(), margin=80)))
        if not terms and re.search(r"start date", ctx, re.I):
            mm = _MONTH.search(plain(ctx))
            if mm and _MONTH_NAMES[mm.group(1).lower()] not in seen:
                seen.add(_MONTH_NAMES[mm.group(1).lower()])
                items.append((_MONTH_NAMES[mm.group(1).lower()], clip(ctx, mm.start(), mm.end(), margin=40)))
    items = [(v, q) for v, q in items if page.contains(q)]
    return _listed(page, items, 0.75)


# --- prerequisites -----------------------------------------------------------------------------
_PREREQ_CONTENT = re.compile(
    r"degree|bachelor|baccalaureate|course|semesters? of|calculus|statistic|programming|algebra|biology|gpa|"
    r"grade point|toefl|ielts|english|experience|letters? of (?:recommendation|reference)|references|knowledge|"
    r"background|familiarity|competenc|understanding of",
    re.I,
)
_PREREQ_SKIP = re.compile(r"\bfee\b|transcript|resume|\bcv\b|statement|essay|application form|interview|deadline", re.I)
_PREREQ_OUTSIDE = re.compile(
    r"applicants? (?:must|should|are required)|required for admission|prerequisites? (?:is|are|include)", re.I
)


def prerequisites(page: Page) -> FieldValue:
    """What applicants must bring (degree, courses, tests), item by item, in page order."""
    items: list[tuple[Any, str]] = []
    for seg in page.sentences:
        text = seg.plain
        inside = seg.line_no in page.admission_lines
        if not (inside or _PREREQ_OUTSIDE.search(text)):
            continue
        if len(text) > 400 or not _PREREQ_CONTENT.search(text) or _PREREQ_SKIP.search(text):
            continue
        item = re.sub(r"^(?:[•\-*–·]|\d{1,2}[.)])\s*", "", seg.text).rstrip(" .;")
        if len(item) >= 8 and item not in [v for v, _ in items]:
            items.append((item, seg.text))
        if len(items) >= 12:
            break
    return _listed(page, items, 0.6)


def curriculum_topics(page: Page, taxonomy: Taxonomy, capstone_value: FieldValue) -> FieldValue:
    """Taxonomy topics the page's curriculum covers; 'capstone' follows the capstone field."""
    hits = [(h.topic, h.evidence) for h in find_topics(page, taxonomy.topics) if h.topic != "capstone"]
    if capstone_value.value is True and capstone_value.evidence:
        hits.append(("capstone", capstone_value.evidence))
    return _listed(page, hits, 0.75)
