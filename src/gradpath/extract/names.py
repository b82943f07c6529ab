"""Name fields of a program page: the program's name, its degree and the institution.

Names are the hardest facts to read with rules, so these extractors are conservative: a program
name must contain a degree phrase ("Master of Science in …", "MS in …", "Health Informatics, M.S.")
and an institution must be a proper name with an institution word (University, College, School,
Institute, Clinic) or a word of the page's own host name ("UIC" on uic.edu). Bulleted lines are
never read for the program name: catalogs list sibling programs there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlparse

from gradpath.extract.fields import FieldValue
from gradpath.extract.text import Page, clip, plain

_DEGREE_HEAD = re.compile(
    r"(?<![\w-])(?:(?P<spec>master of (?:science|arts|professional (?:studies|science)|health (?:science|informatics)|"
    r"medical sciences?|management|[a-z]+ informatics)|(?:m\.?s\.?c?|ma|mps|mhs|mmsc|sm)(?![a-z]))"
    r"|(?P<gen>master(?:'s|s)?))"
    r"(?: \([^)]{1,12}\))?(?:(?: degree| program)?(?P<link> (?:in|of) ))?",
    re.I,
)
_NAME_STOP = re.compile(
    r"^(?:program|programs|degree|is|are|at|from|offered|offers|provides|will|has|was|students|that|which|with|by|"
    r"prepares|designed|requires|required|curriculum|track|hosted|gives|builds|aims|explores|can|for|to|the|a|an|"
    r"and(?= the)|on|as|includes|who|[^\w&].*)$",
    re.I,
)
_TITLE_FORM = re.compile(r"^[A-Z][\w&’' -]+, (?:M\.S\.|MS|M\.A\.|Master of Science|M[A-Z]{2,5})(?![\w.])", re.I)
_DEGREES = (
    (r"master of professional (?:studies|science)|\bm\.?p\.?s\b", "MPS"),
    (r"master of health informatics|\bmhi\b", "MHI"),
    (r"master of health science|\bmhs\b", "MHS"),
    (r"master of medical sciences?|\bmmsc\b", "MMSc"),
    (r"master of management in clinical informatics|\bmmci\b", "MMCI"),
    (r"master of arts|\bm\.?a\b(?= in)", "MA"),
    (r"master of science|master of [a-z]+ informatics|\bm\.s\b|\bm\.s\.|\bmsc?\b|\bsm\b(?= in)", "MS"),
    (r"master(?:'s|s)?\b", "Master's"),
)


def _name_from(text: str, m: re.Match[str]) -> str | None:
    words = text[m.end() :].split(" ") if m.group("link") else []
    kept: list[str] = []
    for w in words:
        core = w.rstrip(",.;:)|")
        if not core or _NAME_STOP.match(core) or core.startswith("(") or len(kept) >= 9:
            break
        kept.append(core)
        if core != w:
            break
    if m.group("link") and not kept:
        return None
    if not m.group("link") and not re.search(r"informatics|management", m.group(0), re.I):
        return None  # "Master of Science" alone names no program
    return (m.group(0) + " ".join(kept)).strip()


def program_name(page: Page) -> FieldValue:
    """The program's name as the page gives it: the first specific degree name ('Master of
    Science in …', 'MS in …', 'Health Informatics, M.S.'), else a generic one ('Master's degree in …')."""
    generic: FieldValue | None = None
    for seg in page.sentences:
        if re.match(r"^[•\-*–·]\s", seg.text):
            continue  # list items name sibling programs as often as this one
        text = seg.plain
        if seg.line_no < 40 and _TITLE_FORM.match(text) and len(text.split()) <= 12:
            return FieldValue(seg.text, seg.text, 0.75)
        for m in _DEGREE_HEAD.finditer(text):
            if re.search(r"post-$|doctor", text[max(0, m.start() - 5) : m.start()], re.I):
                continue
            name = _name_from(text, m)
            if not name:
                continue
            quote_start = m.start()
            if text[max(0, m.start() - 7) : m.start()].lower() == "online ":
                quote_start -= 7
            fv = FieldValue(seg.text[quote_start : quote_start + len(name) + (m.start() - quote_start)], None, 0.75)
            fv.evidence = clip(seg.text, quote_start, quote_start + len(fv.value), margin=60)
            if m.group("spec"):
                return fv
            generic = generic or FieldValue(fv.value, fv.evidence, 0.55)
        field_words = re.sub(
            r"(?i)\b(?:master'?s?|of|science|arts|degree|programs?|ms|faq|online|admissions?)\b|\W", "", text
        )
        title_like = seg.line_no <= 2 and len(text.split()) <= 10 and text[-1] not in ".!?" and len(field_words) >= 4
        if title_like and generic is None and re.search(r"\bMS\b|masters?\b", text, re.I):
            generic = FieldValue(seg.text, seg.text, 0.5)
    return generic or FieldValue()


def degree(page: Page, name: FieldValue) -> FieldValue:
    """The degree's short form (MS, MA, MPS, MHI, …; "Master's" when the page says only that)."""
    sources = [(name.value, name.evidence)] if name.value else []
    # without a program name only a specific degree mention counts ("master's" alone is too vague)
    sources += [(s.text, s.text) for s in page.sentences if (m := _DEGREE_HEAD.search(s.plain)) and m.group("spec")][:5]
    for text, quote in sources:
        t = plain(text)
        abbr = re.search(r", (M[A-Z]{2,5})$|\b(M(?:\.[A-Z]){2,4})\.", t)
        if abbr and abbr.group(1):
            return FieldValue(abbr.group(1), quote, 0.7)
        for pattern, code in _DEGREES:
            if re.search(pattern, t, re.I):
                if code == "MS" and abbr:
                    code = abbr.group(2).replace(".", "")
                return FieldValue(code, quote, 0.75)
    return FieldValue()


_INST_KEY = re.compile(r"^(?:University|College|Institute|School|Clinic)$")
_GENERIC = {
    "the", "of", "at", "and", "&", "-", "graduate", "school", "college", "university", "department", "medicine",
    "public", "health", "sciences", "science", "arts", "professional", "studies", "engineering", "computer",
    "information", "applied", "computational", "biomedical", "informatics", "institute", "clinical", "translational",
    "research", "center", "medical", "state", "online", "program", "for", "osteopathic", "division", "fall", "spring",
    "summer", "winter", "fellowships", "artificial", "intelligence", "data", "management",
}  # fmt: skip
_LEAD = {
    "Any",
    "From",
    "Inside",
    "At",
    "In",
    "For",
    "With",
    "By",
    "Our",
    "Your",
    "This",
    "All",
    "Each",
    "Apply",
    "Visit",
    "Based",
}
_CONNECT = {"of", "at", "and", "&", "-", "the"}
_NAME_TOKEN = re.compile(r"[A-Z][\w’'&.-]*[\w’']|[A-Z]|of|at|and|&|-|the")
_BREAK = re.compile(
    r"^(?:Masters?|Master['’]s|Online|Programs?|Degree|MS|PhD|Bachelor|Doctor|Admissions?|System|Application|AI|Minor|"
    r"MSAI|Undergrads|Only|Campus|World|Fellowships|[A-Z]{3,}(?=$)(?<!UCLA))$"
)


def _runs(text: str, host_tokens: set[str]) -> Iterator[tuple[str, int, int]]:
    """Maximal runs of capitalised words and connectors that may name an institution."""
    run: list[re.Match[str]] = []
    tokens = list(_NAME_TOKEN.finditer(text))
    for k in range(len(tokens) + 1):
        m = tokens[k] if k < len(tokens) else None
        word = m.group(0).rstrip(".") if m else ""
        stop = m is None or bool(run and text[run[-1].end() : m.start()] != " ")
        breaking = bool(m) and _BREAK.match(word) is not None and word.lower() not in host_tokens
        if not stop and not breaking and m is not None and not (not run and (word in _CONNECT or word in _LEAD)):
            run.append(m)
            continue
        while run and run[-1].group(0).rstrip(".") in _CONNECT:
            run.pop()
        if run:
            yield text[run[0].start() : run[-1].end()].rstrip("."), run[0].start(), run[-1].end()
        run = [m] if m is not None and stop and not breaking and word not in _CONNECT | _LEAD else []


def institution(page: Page) -> FieldValue:
    """The institution as the page names it; a name matching the URL's host is preferred."""
    host = urlparse(page.url or "").hostname or ""
    host_tokens = {t for t in re.split(r"[.-]", host.lower()) if len(t) >= 2} - {
        "www",
        "edu",
        "com",
        "org",
        "net",
        "catalog",
    }
    best: tuple[float, FieldValue] | None = None
    for k, seg in enumerate(page.sentences):
        text = re.sub(r"\S+@\S+|https?://\S+|www\.\S+", lambda x: " " * len(x.group(0)), seg.plain)
        for name, start, end in _runs(text, host_tokens):
            if " at " in name and not re.search(r"University|College|Institute|School|Clinic", name.split(" at ")[0]):
                cut = name.rindex(" at ") + 4  # "Health Informatics at The University of Scranton"
                name, start = name[cut:], start + cut
            name = re.sub(r"(?:’s|'s)$", "", re.sub(r"^The (?!University)", "", name))
            start = end - len(name) if not text[start:end].startswith(name) else start
            words = name.split()
            proper = [w for w in words if re.sub(r"[’']s$|\.$", "", w).lower() not in _GENERIC]
            acronym = "".join(w[0] for w in words if w[0].isupper() and w != "The").lower()
            compact = name.lower().replace(" ", "")
            on_host = any(t in compact or t == acronym or (len(t) >= 4 and compact.startswith(t)) for t in host_tokens)
            keyword = any(_INST_KEY.match(re.sub(r"[’']s$", "", w)) for w in words)
            host_word = on_host and len(words) == 1 and not re.match(r"\s*programs?\b", text[end:], re.I)
            if not proper or not (keyword or host_word):
                continue
            score = 3.0 * on_host + (2.0 if re.search(r"University|College", name) else 1.0) * keyword - 0.01 * k
            if best is None or score > best[0]:
                at = seg.text.find(name, start) if seg.text.find(name, start) >= 0 else start
                best = (
                    score,
                    FieldValue(
                        seg.text[at : at + len(name)],
                        clip(seg.text, at, at + len(name), margin=80),
                        0.6 + 0.1 * on_host,
                    ),
                )
    return best[1] if best else FieldValue()
