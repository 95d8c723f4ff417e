"""Authoring commands: `new` (scaffold a report), `import-markdown`, `import-docx`, `i18n`.

Part of the command-line layer: each command parses its options, calls builder.authoring.scaffold,
builder.authoring.markdown or builder.i18n, and prints one line per result or located problem.
Exit codes as everywhere: 0 ok, 1 content problem, 2 usage error.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from builder.cli_support import _guard, _print_diagnostics, info, output_options
from builder.diagnostics import display_path

LANG_CHOICE = click.Choice(["zh", "en"])


def _report_folder(path: Path) -> Path:
    if not (path / "report.yaml").is_file():
        raise click.BadParameter(f"{path} holds no report.yaml", param_hint="REPORT_DIR")
    return path


@click.command()
@click.argument("name")
@click.option("--lang", default="zh", show_default=True, type=LANG_CHOICE,
              help="The language the report is written in (the other one is its translation).")
@click.option("--dir", "parent", default=Path("."), show_default=True,
              type=click.Path(path_type=Path, file_okay=False),
              help="Folder that receives the new report folder.")
@click.option("--example", default=None, metavar="NAME",
              help="Copy an example report shipped with the tool instead (e.g. gpu-market).")
@output_options
@_guard
def new(name: str, lang: str, parent: Path, example: str | None) -> None:
    """Create PARENT/NAME/ (default ./NAME): a small, commented report that checks and builds
    at once, or a copy of an example report with --example.

    Refuses (exit 2) when the folder already exists.
    """
    from builder.authoring.scaffold import ID_RE, copy_example, scaffold
    from builder.resources import example_reports

    if not ID_RE.match(name):
        raise click.BadParameter("use lowercase letters, digits and '-' (e.g. q3-outlook)",
                                 param_hint="NAME")
    target = parent / name
    if target.exists():
        raise click.UsageError(f"{target} already exists; nothing was written "
                               f"(choose another NAME or remove the folder)")
    if example is not None:
        examples = example_reports()
        if example not in examples:
            raise click.BadParameter(f"no example {example!r} (examples: "
                                     f"{', '.join(examples) or 'none'})", param_hint="--example")
        written = copy_example(examples[example], target, name)
    else:
        written = scaffold(target, name, lang)
    for path in written:
        info(f"wrote {display_path(path)}")
    info(f"next: report-builder check {target} && report-builder build {target}")


@click.command("import-markdown")
@click.argument("markdown", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--out", "out", type=click.Path(path_type=Path, file_okay=False),
              help="Report folder to create (default: ./<file name>).")
@click.option("--lang", default=None, type=LANG_CHOICE,
              help="Language of the Markdown (default: zh when it holds Chinese, else en).")
@output_options
@_guard
def import_markdown(markdown: Path, out: Path | None, lang: str | None) -> None:
    """Turn a Markdown report into a report folder (sections, blocks, charts from mermaid).

    Refuses (exit 2) when the output folder already exists.
    """
    from builder.authoring.markdown import import_markdown as run_import

    stem = re.sub(r"[^a-z0-9]+", "-", markdown.stem.lower()).strip("-") or "report"
    target = out or Path(stem)
    if target.exists():
        raise click.UsageError(f"{target} already exists; nothing was written "
                               f"(pass another --out)")
    result = run_import(markdown, target, lang)
    _print_diagnostics(result.diagnostics)
    info(f"wrote {display_path(target)}: {len(result.sections)} section(s), "
               f"{result.blocks} block(s), {result.charts} chart(s), "
               f"{len(result.diagnostics)} warning(s)")


@click.group()
def i18n() -> None:
    """Translation status and the translator round trip through gettext PO files."""


@i18n.command("status")
@click.argument("report_dir", required=False, default=Path("."),
                type=click.Path(path_type=Path, file_okay=False))
@click.option("--lang", type=LANG_CHOICE, help="Target language (default: not the source).")
@click.option("--list", "listing", is_flag=True, help="Also list every missing or stale text.")
@click.option("--strict", is_flag=True, help="Exit 1 when a text is missing or stale.")
@output_options
@_guard
def status(report_dir: Path, lang: str | None, listing: bool, strict: bool) -> None:
    """Print translated / missing / stale counts per section."""
    from builder.authoring.po import load_record
    from builder.i18n.status import MISSING, STALE, format_table, translation_status

    record = load_record(_report_folder(report_dir))
    target = lang or ("en" if record.source_lang == "zh" else "zh")
    result = translation_status(record, target)
    for line in format_table([result]):
        click.echo(line)
    if listing:
        for entry in result.entries:
            if entry.state in (MISSING, STALE):
                where = entry.ref.text.loc_of(target if entry.state == STALE else
                                              record.source_lang)
                click.echo(f"{display_path(where.path)}:{where.line}: {entry.state}: "
                           f"{entry.ref.key}")
    if strict and not result.total().complete:
        sys.exit(1)


@i18n.command("export")
@click.argument("report_dir", required=False, default=Path("."),
                type=click.Path(path_type=Path, file_okay=False))
@click.option("--lang", default="en", show_default=True, type=LANG_CHOICE,
              help="The language to translate into.")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="The PO file to write.")
@output_options
@_guard
def export(report_dir: Path, lang: str, out: Path) -> None:
    """Write a gettext PO file with one entry per text (stale translations flagged fuzzy)."""
    from builder.authoring.po import export_po

    translated, missing, stale = export_po(_report_folder(report_dir), lang, out)
    info(f"wrote {display_path(out)}: {translated} translated, {missing} missing, "
               f"{stale} stale (fuzzy)")


@i18n.command("import")
@click.argument("report_dir", type=click.Path(path_type=Path, file_okay=False))
@click.argument("po_file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--lang", type=LANG_CHOICE, help="Target language (default: the PO's language).")
@output_options
@_guard
def import_(report_dir: Path, po_file: Path, lang: str | None) -> None:
    """Write a PO file's translations into the content files and record their source hashes."""
    from builder.authoring.po import import_po

    result = import_po(_report_folder(report_dir), po_file, lang)
    _print_diagnostics(result.diagnostics)
    for path in result.files:
        info(f"updated {display_path(path)}")
    info(f"{result.written} translation(s) written, {result.unchanged} confirmed, "
               f"{result.fuzzy} fuzzy and {result.empty} empty skipped")


@i18n.command("stamp")
@click.argument("report_dir", type=click.Path(path_type=Path, file_okay=False))
@click.argument("addresses", nargs=-1)
@click.option("--lang", default="en", show_default=True, type=LANG_CHOICE,
              help="The translation language to stamp.")
@output_options
@_guard
def stamp(report_dir: Path, addresses: tuple[str, ...], lang: str) -> None:
    """Record that the current translations (all, or those under ADDRESSES) are up to date."""
    from builder.authoring.po import stamp as run_stamp

    count = run_stamp(_report_folder(report_dir), lang, addresses)
    info(f"stamped {count} {lang} translation(s) in "
               f"{display_path(report_dir / 'translations.yaml')}")


@click.command("import-docx")
@click.argument("edited", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.argument("report_dir", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option("--dry-run", is_flag=True, help="Print the changes as a diff; write nothing.")
@click.option("--changes", type=click.Choice(["accept", "reject", "keep"]), default="keep",
              show_default=True,
              help="Tracked changes: apply them, ignore them, or leave them undone and list "
                   "each in the block's note.")
@click.option("--accept-literal", is_flag=True,
              help="Write an editor's text over text generated from data ({{ … }}).")
@output_options
@_guard
def import_docx(edited: Path, report_dir: Path | None, dry_run: bool, changes: str,
                accept_literal: bool) -> None:
    """Bring what editors changed in a built DOCX back into the content of REPORT_DIR.

    Edited texts, added and deleted paragraphs, comments and tracked changes are written into
    the content files; nothing else in them changes. Exit 1 when there were conflicts.
    """
    from builder.roundtrip import ImportRefused
    from builder.roundtrip import import_docx as run_import

    folder = _report_folder(report_dir if report_dir is not None else Path("."))
    try:
        result = run_import(edited, folder, changes, accept_literal,  # type: ignore[arg-type]
                            dry_run)
    except ImportRefused as exc:
        click.echo(f"{display_path(edited)}: error: {exc}", err=True)
        sys.exit(2)
    _print_diagnostics(result.warnings + result.conflicts)
    if dry_run:
        click.echo(result.diff(folder), nl=False)
    else:
        for lines, verb in ((result.edited, "edited"), (result.added, "added"),
                            (result.removed, "removed"), (result.notes, "note")):
            for line in lines:
                info(f"{line} ({verb})")
        for path in sorted(result.files):
            info(f"updated {display_path(path)}")
    info(("would change: " if dry_run else "") + result.summary())
    if result.conflicts:
        sys.exit(1)


COMMANDS = (new, import_markdown, import_docx, i18n)
