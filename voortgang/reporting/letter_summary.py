"""The short summary of a letter draft that the cycle shows in the Prefect UI (``letter-<period>``).

Not the letter itself: the UI would show its chart links broken and its notes as raw ``[^1]``
markers. It says which version, in what state, and where each file is.
"""

from __future__ import annotations

from pathlib import Path

# As letter/chart_files.py names it; repeated so the flows need not import the letter package
# (matplotlib, python-docx) to summarise it.
CHART_FOLDER_SUFFIX = "-figuren"

STATES = {
    "draft": "concept, wacht op het besluit van een coördinator",
    "final": "goedgekeurd: dit is de brief van het kwartaal",
    "changes_requested": "wijzigingen gevraagd door een coördinator",
}
# Known files first, in the order a coordinator opens them; others follow by their key.
LABELS = {
    "pdf": "Brief (PDF, toegankelijk)",
    "docx": "Brief (Word)",
    "html": "Brief (HTML)",
    "md": "Brief (Markdown)",
    "bijlagen-docx": "Bijlagen (Word)",
    "bijlagen-html": "Bijlagen (HTML)",
    "bijlagen-md": "Bijlagen (Markdown)",
    "notities": "Notities voor de coördinatoren (intern)",
}


def _code(text: str) -> str:
    """Text as a code span in a table cell: a long path stays whole, nothing in it is read
    as Markdown."""
    text = text.replace("|", "\\|")
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def _chart_folder(markdown_path: Path) -> Path:
    return markdown_path.with_name(markdown_path.stem + CHART_FOLDER_SUFFIX)


def letter_summary_markdown(period: str, version: int, state: str, files: dict[str, str]) -> str:
    """Dutch Markdown: version and state of the period's letter, and a table of its files."""
    lines = [
        f"**Voortgangsbrief {period}, versie {version}**: {STATES.get(state, state)}.",
        "",
        "| bestand | waar |",
        "|---|---|",
    ]
    keys = [k for k in LABELS if k in files] + [k for k in files if k not in LABELS]
    for key in keys:
        lines.append(f"| {LABELS.get(key, key)} | {_code(files[key])} |")
    folders = [
        folder
        for key in keys
        if (folder := _chart_folder(Path(files[key]))).is_dir() and files[key].endswith(".md")
    ]
    if folders:
        where = ", ".join(_code(str(folder)) for folder in folders)
        lines += ["", f"De figuren bij de Markdown-bestanden staan in {where}."]
    if state == "draft":
        lines += [
            "",
            "Besluiten: *Resume* bij deze run in de UI, of "
            f"`voortgang approve --period {period} --by E-MAILADRES` "
            '(of `--changes "..."`).',
        ]
    return "\n".join(lines) + "\n"
