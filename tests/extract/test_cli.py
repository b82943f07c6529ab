"""The two extractor commands, run through a Typer app as gradpath.cli registers them."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from gradpath.extract.cli import extract_command, extract_eval_command

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
app = typer.Typer()
app.command("extract")(extract_command)
app.command("extract-eval")(extract_eval_command)
runner = CliRunner()


def test_extract_json_prints_one_document_with_evidence() -> None:
    result = runner.invoke(app, ["extract", str(FIXTURES / "fx-online-health-informatics.txt"), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["url"].startswith("https://www.lakeshore.example.edu")
    assert doc["fields"]["credits"]["value"] == 36
    assert "36 credit hours" in doc["fields"]["credits"]["evidence"]


def test_extract_missing_file_fails_on_stderr() -> None:
    result = runner.invoke(app, ["extract", "no-such-page.txt", "--json"])
    assert result.exit_code == 1
    assert "no such file" in result.stderr and result.stdout == ""


def test_extract_eval_json_reports_the_headline_numbers() -> None:
    result = runner.invoke(app, ["extract-eval", str(FIXTURES / "labels.jsonl"), str(FIXTURES), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["pages"] == 7 and doc["evidence_validity"] == 1.0
    assert set(doc["fields"]["credits"]) == {"tp", "fp", "fn", "precision", "recall", "f1"}


def test_extract_eval_with_a_bad_labels_file_fails(tmp_path: Path) -> None:
    (tmp_path / "labels.jsonl").write_text("nope\n", encoding="utf-8")
    result = runner.invoke(app, ["extract-eval", str(tmp_path / "labels.jsonl"), str(FIXTURES)])
    assert result.exit_code == 1 and "line 1" in result.stderr
