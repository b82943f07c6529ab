"""The printable plan as a PDF: one program's plan with every number's source and every assumption.

Built from the same document as ``/plan/{id}.json`` (:func:`gradpath.plan.service.plan_program`),
so the PDF never says more or less than the page. The PDF uses the core Helvetica font, which only
knows Latin-1: typographic characters are spelled out (``—`` → ``-``, ``≥`` → ``>=``) rather than
embedding a font file.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fpdf import FPDF

_SPELL = str.maketrans({
    "—": "-", "–": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "×": "x", "≥": ">=", "≤": "<=", "…": "...",
    "•": "-", "→": "->", "←": "<-", "\u00a0": " ", "≈": "~", "−": "-", "§": "Sec. ",
})  # fmt: skip
LINE = 4.6


def latin1(text: Any) -> str:
    """Text the core PDF fonts can draw (unknown characters become '?')."""
    return str(text).translate(_SPELL).encode("latin-1", "replace").decode("latin-1")


def _money(value: Any) -> str:
    return "unknown" if value is None else f"${value:,.0f}"


class _Doc(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=7)
        self.cell(0, 5, latin1(f"GradPath plan - page {self.page_no()} - figures as published; unknown is not zero"),
                  align="C")  # fmt: skip

    def heading(self, text: str, size: int = 12) -> None:
        self.ln(2)
        self.set_font("Helvetica", "B", size)
        self.multi_cell(0, LINE + 1.5, latin1(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", size=9)

    def para(self, text: str, *, bold: bool = False, size: int = 9) -> None:
        self.set_font("Helvetica", "B" if bold else "", size)
        self.multi_cell(0, LINE, latin1(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", size=9)

    def items(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.para(f"- {line}")


def _source(source: dict[str, Any] | None) -> str:
    if not source:
        return "no verified source"
    return f"{source.get('url')} (as of {source.get('as_of')}, {source.get('kind', 'source')})"


def plan_pdf(doc: dict[str, Any]) -> bytes:
    """The PDF of one program's plan (the ``plan_program`` document)."""
    pdf = _Doc(format="Letter")
    pdf.set_title(latin1(f"GradPath plan: {doc['institution']} - {doc['field']}"))
    pdf.set_creator("GradPath")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    resolved = doc["resolved"]
    pdf.heading(f"{doc['institution']} - {doc['field']} ({doc['id']})", 14)
    pdf.para(f"{doc['city']}, {doc['state']}. CIP {doc['cip']}. Fit score {doc['score']:g} (sum of the components "
             "below). Your area: " + resolved["area"]["name"] + ".")  # fmt: skip
    pdf.para(f"Current salary: {_money(resolved['current_salary']['amount'])} - {resolved['current_salary']['note']}.")
    for role in resolved["roles"]:
        why = f"; {role['reason']}" if role["reason"] else ""
        pdf.para(f"Target role: {role['title']}: median {_money(role['median'])}, p25 {_money(role['p25'])}, "
                 f"p75 {_money(role['p75'])} ({role['label']}{why}).")  # fmt: skip
    if doc.get("program"):
        pdf.para(f"Program: {doc['program']['name']} - {doc['program']['note']}.")
    others = [lp for lp in doc.get("linked_programs", []) if not lp["used"]]
    for lp in others:
        status = "excluded: " + "; ".join(lp["excluded_because"]) if lp["excluded"] else f"score {lp['score']:g}"
        pdf.para(f"Also linked to this offering: {lp['name']} ({status}).")
    for reason in doc["excluded_because"]:
        pdf.para(f"Excluded by a hard constraint: {reason}", bold=True)
    if doc["flags"]:
        pdf.para("Flags: " + "; ".join(doc["flags"]))

    pdf.heading("Score: the sum of its components")
    pdf.items(f"{name}: {c['points']:g} of {c['weight']:g} - {c['note']}" for name, c in doc["components"].items())

    pdf.heading("Eligibility")
    pdf.items(f"[{r['status'].replace('_', ' ')}{', hard' if r['hard'] else ''}] {r['requirement']} - {r['reason']}. "
              f"Source: {_source(r['source'])}"
              + (f". Bridge: {r['bridge']['name']} ({r['bridge']['cost_basis']})" if r["bridge"] else "")
              for r in doc["eligibility"])  # fmt: skip
    if doc["application_checklist"]:
        pdf.para("Application checklist: " + "; ".join(i["item"] for i in doc["application_checklist"]))

    pdf.heading("Timeline")
    for pace in ("fulltime", "parttime"):
        t = doc["timeline"][pace]
        months = "unknown" if t["months"] is None else f"{t['months']:g} months"
        pdf.para(
            f"{'Full-time' if pace == 'fulltime' else 'Part-time'}: {months}, graduation "
            f"{t['graduation'] or 'unknown'}, about {t['weekly_hours']:g} study hours a week. {t['assumption']}."
        )

    pdf.heading(f"Cost ({'part-time' if doc['cost']['pace'] == 'parttime' else 'full-time'})")
    pdf.items(f"{line['name']}: {_money(line['amount'])}{' - ' + line['note'] if line['note'] else ''}"
              for line in doc["cost"]["breakdown"])  # fmt: skip
    for src in doc["cost"]["sources"]:
        pdf.para(f"Tuition source: {src['label']} {src.get('source_url') or ''}")
    if doc["cost"]["unknowns"]:
        pdf.para("Unknown: " + "; ".join(doc["cost"]["unknowns"]))

    pdf.heading("Return on investment")
    for s in doc["scenarios"].values():
        roi = s["roi"]
        payback = "none or unknown" if roi["payback_years"] is None else f"year {roi['payback_years']}"
        unknown = f"; unknown: {'; '.join(roi['unknown'])}" if roi["unknown"] else ""
        pdf.para(f"{s['label']}: NPV {_money(roi['npv'])} (band {_money(roi['band']['low'])} to "
                 f"{_money(roi['band']['high'])}), payback {payback}{unknown}")  # fmt: skip
    if doc.get("formats_compared"):
        for name, s in doc["formats_compared"].items():
            pdf.para(f"{name}: net cost {_money(s['cost']['total'])}, NPV {_money(s['roi']['npv'])}")
    if doc.get("break_even"):
        be = doc["break_even"]
        pdf.para(f"Break-even target salary: {_money(be['salary'])} ({be['note']}).")
    if doc["sensitivity"]:
        pdf.para("Sensitivity (NPV change when one assumption moves):", bold=True)
        pdf.items(f"{r['assumption']}: {r['low_label']} {_money(r['delta_low'])}, {r['high_label']} "
                  f"{_money(r['delta_high'])}" for r in doc["sensitivity"])  # fmt: skip
    flows = doc.get("flows") or []
    if flows:
        pdf.para("Yearly net flows (study path minus stay path):", bold=True)
        pdf.para("; ".join(f"y{f['year']}: {_money(f['net'])}" for f in flows))

    pdf.heading("Every assumption")
    a = doc["assumptions"]
    pdf.items(f"{n['name']} = {n['value']} ({n['kind']}): {n['note']}"
              + (f" Source: {n['source_url']}" if n.get("source_url") else "")
              + (f" As of: {n['as_of']}" if n.get("as_of") else "") for n in a["planner"])  # fmt: skip
    pdf.items(f"{n['name']} = {n['value']}: {n['note']}" for n in a["data"])
    pdf.items(f"{n['name']} = {n['value']} ({n['kind']}): {n['note']}" for n in a["scoring"])
    pdf.items(f"weight {name} = {w:g}" for name, w in a["weights"].items())
    pdf.items(f"{n['name']} = {n['value']}" + (f": {n['note']}" if n.get("note") else "")
              for n in a.get("roi_inputs", []))  # fmt: skip

    pdf.heading("Verified program pages")
    pdf.items(f"{p['program']}: {p['url']} (reviewed {p['as_of']})" for p in doc["verified_pages"])
    if not doc["verified_pages"]:
        pdf.para("None: requirements, format, duration and price of this program are unknown - verify.")
    pdf.heading("Sources")
    pdf.items(f"{s['id']}: {s['title']}, {s['vintage']} ({s['license']}) {s['url']}" for s in doc["sources"])
    return bytes(pdf.output())
