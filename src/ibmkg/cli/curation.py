"""Commands for curators: new-study, add, import, describe, draft."""

from __future__ import annotations

from pathlib import Path

import click

from ibmkg.cli._common import Context, fail, format_option
from ibmkg.formats import FormFormat

_pass = click.make_pass_decorator(Context)


@click.command("new-study")
@click.argument("slug")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the template here (default: standard output).")
@_pass
def new_study(ctx: Context, slug: str, output: Path | None) -> None:
    """Write a commented YAML template for a new study SLUG (e.g. doe-2030).

    Every field is explained; values taken from the ontology list their allowed values.
    Fill it in, then run `ibmkg add FILE.yaml`.
    """
    import re

    from ibmkg.curation.template import study_template
    from ibmkg.curation.vocab import Vocabulary
    from ibmkg.errors import InputError
    from ibmkg.graph_io import atomic_write

    if not re.fullmatch(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*", slug):
        raise InputError(f"slug {slug!r}: use lower-case words joined by hyphens, e.g. "
                         "doe-2030")
    text = study_template(slug, Vocabulary.from_layout(ctx.layout()))
    if output is None:
        click.echo(text, nl=False)
    else:
        if output.exists():
            raise InputError(f"{output}: exists already; choose another file or delete it")
        atomic_write(output, text)
        click.echo(f"wrote {output}", err=True)


@click.command()
@click.argument("files", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True,
              help="Run every check and print the triples it would add; write nothing.")
@click.option("--replace", is_flag=True,
              help="Replace a study of the same slug (its old file stays until the new one "
                   "is completely written).")
@_pass
def add(ctx: Context, files: tuple[Path, ...], dry_run: bool, replace: bool) -> None:
    """Check study forms (FILE.yaml) and add them to kg/studies/.

    Checks, in order: the form's schema (every problem at once, with line and column), the
    ontology's values, duplicates (slug, DOI, PMID), SHACL with the existing graph, the
    reasoner's consistency. Writes kg/studies/<slug>.ttl only when all pass.
    """
    from ibmkg.curation.add import add_studies, load_form, plan_study, recover
    from ibmkg.curation.vocab import Vocabulary
    from ibmkg.formats import ReportFormat
    from ibmkg.graph_io import load_project
    from ibmkg.validation import format_report

    layout = ctx.layout()
    for path in recover(layout):
        click.echo(f"completed an interrupted write: {layout.relative(path).as_posix()}",
                   err=True)
    vocab = Vocabulary.from_layout(layout)
    existing = load_project(layout, with_mappings=False)
    plans = []
    for path in files:
        study, where = load_form(path, vocab, display=str(path))
        plans.append(plan_study(study, layout, vocab=vocab, replace=replace,
                                display=str(path), locate=where, existing=existing))
    outcome = add_studies(plans, layout, dry_run=dry_run)
    if dry_run:
        for plan in plans:
            click.echo(plan.turtle, nl=False)
    report = outcome.report
    click.echo(format_report(report, ReportFormat.TEXT), err=True)  # type: ignore[arg-type]
    for note in outcome.reasoning:
        click.echo(f"reasoner: {note}", err=True)
    if not outcome.passed:
        click.echo("nothing written: fix the violations above", err=True)
        fail(1)
    for plan in plans:
        verb = "would replace" if plan.replaces else "would add"
        if not dry_run:
            verb = "replaced" if plan.replaces else "added"
        click.echo(f"{verb} {layout.relative(plan.path).as_posix()} "
                   f"({len(plan.triples)} triples)", err=True)


@click.command()
@click.argument("slug")
@format_option(FormFormat, FormFormat.YAML, "What to print.")
@_pass
def describe(ctx: Context, slug: str, fmt: str) -> None:
    """Print study SLUG as the YAML form that `ibmkg add --replace` reads back."""
    from ibmkg.curation.describe import describe_study

    click.echo(describe_study(slug, ctx.layout(), FormFormat(fmt)), nl=False)


@click.command("import")
@click.argument("table", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row; write nothing.")
@click.option("--replace", is_flag=True, help="Replace studies of the same slug.")
@_pass
def import_(ctx: Context, table: Path, dry_run: bool, replace: bool) -> None:
    """Add studies from a table (TSV, CSV or XLSX), one row per study.

    Columns: Table I's seven (Reference, Study type, Number of patients, IVIG dose, Outcome
    measures, Key results, Study weakness) plus structured ones (slug, label, patients,
    design, ...: see README). Prints one line per row: added, or why not.
    """
    from ibmkg.curation.add import recover
    from ibmkg.curation.tables import import_table

    layout = ctx.layout()
    for path in recover(layout):
        click.echo(f"completed an interrupted write: {layout.relative(path).as_posix()}",
                   err=True)
    report = import_table(table, layout, dry_run=dry_run, replace=replace)
    click.echo(report.text(), nl=False)
    if not report.ok:
        fail(1)


@click.command()
@click.option("--from-pubmed", "pubmed", type=click.Path(dir_okay=False, path_type=Path),
              help="A PubMed efetch XML record (PubmedArticleSet).")
@click.option("--from-ctgov", "ctgov", type=click.Path(dir_okay=False, path_type=Path),
              help="A ClinicalTrials.gov API v2 study record (JSON).")
@click.option("--slug", help="The new study's slug (default: first author and year).")
@_pass
def draft(ctx: Context, pubmed: Path | None, ctgov: Path | None, slug: str | None) -> None:
    """Write a pre-filled study form from a record a curator already has.

    What the record says is filled in; every field to read from the paper is a TODO.
    Nothing is fetched: give the record file.
    """
    from ibmkg.curation.records import draft_from_ctgov, draft_from_pubmed
    from ibmkg.curation.vocab import Vocabulary
    from ibmkg.errors import InputError

    if pubmed is not None and ctgov is None:
        text = draft_from_pubmed(pubmed, slug=slug)
    elif ctgov is not None and pubmed is None:
        text = draft_from_ctgov(ctgov, slug=slug, vocab=Vocabulary.from_layout(ctx.layout()))
    else:
        raise InputError("give exactly one of --from-pubmed RECORD.xml or --from-ctgov "
                         "STUDY.json")
    click.echo(text, nl=False)


COMMANDS = (add, describe, draft, import_, new_study)
