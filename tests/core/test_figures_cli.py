"""``briefreader figures`` and ``briefreader notes``: figures with their sentences; the notes."""

from __future__ import annotations

import json

import pytest

from briefreader.cli import main


def test_figures_json_gives_each_figure_with_its_sentence(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["figures", "--json"]) == 0
    figures = {f["id"]: f for f in json.loads(capsys.readouterr().out)}
    for figure in figures.values():
        assert {
            "id",
            "value",
            "measure",
            "period",
            "source",
            "quote",
            "section",
            "document",
        } <= set(figure)
        assert figure["value"] in figure["quote"]
    krug = figures["cyberbullying-offline"]
    assert krug["speaker"] == "Etienne Krug" and "World Health Organisation" in krug["source"]
    assert "names no source" in krug["source"]
    assert figures["cybertipline-reports"]["speaker"] == "Michelle DeLaune"
    assert "25 years ago" in figures["cybertipline-reports"]["period"]
    assert figures["perpetrator-known"]["speaker"] == "Dr Manjeer Mukherjee"
    assert figures["scale-of-harm-philippines"]["speaker"] == "John Tanagho"
    parents = figures["parents-told-under-nine"]
    assert (
        "Economist Impact" in parents["source"] and "WeProtect Global Alliance" in parents["source"]
    )
    assert "eight countries in Latin America and Sub-Saharan Africa" in parents["measure"]
    assert "eight countries in Latin America and Sub-Saharan Africa" in parents["quote"]
    countries = figures["countries-represented"]
    assert countries["value"] == "112" and "276 members" in countries["measure"]
    assert "speaker" not in figures["csam-reports-increase"]


def test_figures_text_quotes_only_the_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["figures"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "87% increase in reported child sexual abuse material cases, since 2019 (source: NCMEC)\n"
        "  “17 October 2023 - WeProtect Global Alliance has released its fourth"
    )
    # Never the app's summary in quotation marks, as in "“800 million: people globally …”".
    assert "“87%:" not in out and "“800 million:" not in out
    assert "“800 million people globally were reached" in out


def test_notes_lists_the_notes_on_the_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["notes"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Notes on the text")
    assert "[number lost in the source text] (5 times)" in out
    assert "“Commissioner Johannson”" in out
