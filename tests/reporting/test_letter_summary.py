"""The letter summary shown in the Prefect UI: Dutch state, every file in a table cell that a
path with a '|' or a backtick cannot break, the figures folder when it exists, and the way to
decide only while the letter waits for a decision."""

from __future__ import annotations

from voortgang.reporting.letter_summary import letter_summary_markdown


def test_approved_letter_is_called_the_letter_of_the_quarter_without_decision_hint(tmp_path):
    md = tmp_path / "voortgangsbrief-2026Q4-v3.md"
    (tmp_path / "voortgangsbrief-2026Q4-v3-figuren").mkdir()
    files = {"md": str(md), "pdf": str(tmp_path / "b.pdf"), "extra": str(tmp_path / "x.csv")}
    text = letter_summary_markdown("2026Q4", 3, "final", files)
    assert text.startswith("**Voortgangsbrief 2026Q4, versie 3**: goedgekeurd")
    rows = [line for line in text.splitlines() if line.startswith("| ") and "`" in line]
    # known files first (PDF before Markdown), then the others under their key
    assert [row.split(" | ")[0] for row in rows] == [
        "| Brief (PDF, toegankelijk)",
        "| Brief (Markdown)",
        "| extra",
    ]
    assert f"`{tmp_path / 'voortgangsbrief-2026Q4-v3-figuren'}`" in text
    assert "voortgang approve" not in text


def test_a_path_cannot_break_the_table(tmp_path):
    odd = str(tmp_path / "a|b`c.docx")
    text = letter_summary_markdown("2026Q4", 1, "draft", {"docx": odd})
    row = next(line for line in text.splitlines() if line.startswith("| Brief (Word)"))
    assert row == f"| Brief (Word) | `` {odd.replace('|', chr(92) + '|')} `` |"
    assert "voortgang approve --period 2026Q4" in text
