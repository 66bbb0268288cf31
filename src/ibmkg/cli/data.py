"""Commands on the data: validate, stats, export, build, canon, table, reason."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ibmkg.cli._common import Context, fail, format_option
from ibmkg.formats import (
    ExportFormat,
    ReasonerEngine,
    ReasonFormat,
    ReportFormat,
    TableFormat,
    ValidationEngine,
)

_pass = click.make_pass_decorator(Context)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@format_option(ReportFormat, ReportFormat.TEXT, "How to print the report.")
@click.option("--strict", is_flag=True, help="Fail on SHACL warnings and infos too.")
@click.option("--inference", type=click.Choice(["none", "rdfs", "owlrl", "both"]),
              default="none", show_default=True, help="pySHACL inference before validating.")
@click.option("--check-shapes", is_flag=True,
              help="Also validate the shapes against SHACL-for-SHACL.")
@click.option("--max-lines", type=click.IntRange(min=0), default=50, show_default=True,
              help="Print at most this many mistakes in full (text format).")
@click.option("--report-file", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the full report when --max-lines cuts it "
              "[default: build/validation-full.txt].")
@click.option("--engine", type=click.Choice([e.value for e in ValidationEngine]),
              default=ValidationEngine.COMPILED.value, show_default=True,
              help="compiled: each shape once over the whole graph as SPARQL on pyoxigraph "
              "(pySHACL for any shape it cannot compile); pyshacl: the reference engine. "
              "Both give the same results.")
@_pass
def validate(ctx: Context, paths: tuple[Path, ...], fmt: str, strict: bool, inference: str,
             check_shapes: bool, max_lines: int, report_file: Path | None, engine: str) -> None:
    """Validate the project (or the given files, with the project's ontology, imports,
    review and mappings) against shapes/, the closed vocabulary, literal forms and checks.

    Prints one line per mistake with its study and file:line:column, then the counts per
    severity; at most --max-lines in full, the rest in a report file. sh:conforms is false
    whenever there is any result; the exit code is 1 only for a Violation (with --strict,
    for any result). A broken shapes file is an input error (exit 2) before any data is read.
    """
    from ibmkg.graph_io import atomic_write, load_project
    from ibmkg.paths import display_path, shape_files
    from ibmkg.queries import load_query
    from ibmkg.validation import (
        format_report,
        load_shapes,
        validate_project,
        validate_shapes,
    )
    from ibmkg.validation.context import load_in_context, only_in
    from ibmkg.validation.shapes import check_shapes as refuse_broken_shapes

    layout = ctx.layout()
    files = shape_files(layout)
    shapes, shapes_index = load_shapes(files, display=[layout.relative(p).as_posix()
                                                       for p in files])
    refuse_broken_shapes(shapes, shapes_index)
    from ibmkg.progress import terminal_progress

    progress = terminal_progress()
    with progress.step("loading"):
        if paths:
            data, shown = load_in_context(layout, list(paths))
        else:
            data, shown = load_project(layout), []
    # Only the data checks are run: parsing the other stored queries would cost ~1 s.
    checks_dir = layout.queries / "checks"
    checks = [load_query(p, name=f"checks/{p.stem}")
              for p in sorted(checks_dir.glob("*.rq"))] if checks_dir.is_dir() else []
    with progress.step("validating"):
        report = validate_project(data, shapes, checks,
                                  inference=inference, engine=ValidationEngine(engine))
    if shown:
        report = only_in(report, shown)
    if check_shapes:
        meta = validate_shapes(shapes)
        report.results = meta.results + report.results
    chosen = ReportFormat(fmt)
    if chosen is ReportFormat.TEXT and len(report.mistakes()) > max_lines:
        target = report_file or layout.build / "validation-full.txt"
        target.parent.mkdir(parents=True, exist_ok=True)  # a fresh clone has no build/
        atomic_write(target, format_report(report, chosen) + "\n")
        click.echo(format_report(report, chosen, max_lines=max_lines))
        click.echo(f"full report: {display_path(target)}", err=True)
    else:
        click.echo(format_report(report, chosen))
    if not report.passes(strict=strict):
        fail(1)


@click.command()
@_pass
def stats(ctx: Context) -> None:
    """Count graphs, studies, triples, classes and predicates."""
    from ibmkg.graph_io import load_project
    from ibmkg.stats import compute_stats

    click.echo(compute_stats(load_project(ctx.layout())).text())


@click.command()
@click.option("--format", "fmt", type=click.Choice([f.value for f in ExportFormat]),
              default=None, help="RDF serialization, or nanopub (one nanopublication per "
              "finding, TriG). Default: from the extension of -o, else ttl.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (atomically); standard output by default.")
@click.option("--sign-key", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="nanopub: a private RSA key to sign each nanopublication with.")
@click.option("--orcid", help="nanopub: the signer's ORCID IRI (with --sign-key).")
@click.option("--name", help="nanopub: the signer's name (with --sign-key).")
@_pass
def export(ctx: Context, fmt: str | None, output: Path | None, sign_key: Path | None,
           orcid: str | None, name: str | None) -> None:
    """Write the merged graph (TriG keeps one named graph per source file).

    With --format nanopub, writes one nanopublication per finding, with trusty URIs
    computed and checked by the nanopub library (signed when --sign-key is given).
    """
    from ibmkg.graph_io import atomic_write, load_project

    chosen = ExportFormat(fmt) if fmt else (
        ExportFormat.from_path(output) if output is not None else ExportFormat.TURTLE)
    command = f"ibmkg export --format {chosen.value}"
    layout = ctx.layout()
    data = load_project(layout)
    rdf_format = chosen.rdf
    if rdf_format is None:
        import datetime

        from ibmkg.publish.nanopubs import finding_nanopubs, nanopub_trig, verify

        created = datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()
        records = finding_nanopubs(data.triples(), created=created.replace("+00:00", "Z"),
                                   sign_key=sign_key, orcid=orcid, name=name)
        text = nanopub_trig(records, command=command)
        checked = verify(text)
        click.echo(f"{len(checked)} nanopublication(s), trusty URIs checked", err=True)
    else:
        from ibmkg.export.rdf import serialize

        context = layout.context if layout.context.is_file() else None
        text = serialize(data, rdf_format, context=context, command=command)
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic_write(output, text)


@click.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Output directory (default: build/ in the project).")
@click.option("--strict", is_flag=True, help="Fail on SHACL warnings and infos too.")
@click.option("--no-reason", is_flag=True, help="Do not try to run the reasoner.")
@_pass
def build(ctx: Context, out: Path | None, strict: bool, no_reason: bool) -> None:
    """Load, validate, reason, run every stored query and write all artifacts.

    The new build replaces the old one, in one atomic swap, only when complete and valid; an
    input error or a kill leaves the old build/ untouched. Data that does not conform is
    written to build.rejected/ (with its report) and build/ keeps the previous good build;
    exits 1.
    """
    from ibmkg.build import build as run_build
    from ibmkg.progress import terminal_progress

    layout = ctx.layout()
    result = run_build(layout, out, progress=terminal_progress(sys.stderr),
                       reason=not no_reason, strict=strict)
    click.echo(result.summary())
    shown = layout.relative(result.out).as_posix()
    if result.rejected is not None:
        rejected = layout.relative(result.rejected).as_posix()
        click.echo(f"rejected  the data does not conform: {shown}/ keeps the previous good "
                   f"build; this build and its report are in {rejected}/ "
                   f"(see {rejected}/validation.txt)", err=True)
        fail(1)
    click.echo(f"written   {shown}/")


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--check", is_flag=True, help="Only report files that are not canonical.")
@_pass
def canon(ctx: Context, paths: tuple[Path, ...], check: bool) -> None:
    """Rewrite Turtle files in canonical form (default: ontology, shapes and kg files).

    With --check nothing is written; exits 1 listing the files that would change.
    """
    from ibmkg.canonical import canon_files
    from ibmkg.paths import display_path

    targets = list(paths) if paths else _canon_defaults(ctx)
    results = canon_files(targets, write=not check)
    changed = [display_path(r.path) for r in results if r.changed]
    if check:
        for path in changed:
            click.echo(f"not canonical: {path}")
        if changed:
            click.echo(f"{len(changed)} file(s) not canonical; run `make canon`", err=True)
            fail(1)
        return
    for path in changed:
        click.echo(f"rewrote {path}")


def _canon_defaults(ctx: Context) -> list[Path]:
    """The hand-edited Turtle: the ontology, the shapes and every file under kg/."""
    from ibmkg.paths import shape_files

    layout = ctx.layout()
    ontology = [layout.ontology] if layout.ontology.is_file() else []
    data = sorted(layout.kg.rglob("*.ttl")) if layout.kg.is_dir() else []
    return ontology + shape_files(layout) + data


@click.command()
@format_option(TableFormat, TableFormat.MD, "Output format.")
@click.option("--structured", is_flag=True, help="Render from the structured data, not the "
              "verbatim cells.")
@_pass
def table(ctx: Context, fmt: str, structured: bool) -> None:
    """Render the review's Table 1 from the graph."""
    from ibmkg.build import optional_module
    from ibmkg.errors import IbmkgError
    from ibmkg.graph_io import load_project
    from ibmkg.store.embedded import EmbeddedStore

    module = optional_module("ibmkg.table")
    if module is None:
        raise IbmkgError("ibmkg.table is not available yet; Table 1 cannot be rendered")
    store = EmbeddedStore.from_data(load_project(ctx.layout()), keep_written_forms=True)
    text: str = module.render_table(store, TableFormat(fmt), structured=structured)
    click.echo(text, nl=not text.endswith("\n"))


@click.command()
@format_option(ReasonFormat, ReasonFormat.TABLE, "How to print the inferences.")
@click.option("--engine", type=click.Choice([e.value for e in ReasonerEngine]),
              default=ReasonerEngine.AUTO.value, show_default=True,
              help="fast: the rules compiled from the ontology; hermit: the reference "
                   "(Java), which also checks class satisfiability; auto: fast, falling back "
                   "to hermit when the input needs it.")
@_pass
def reason(ctx: Context, fmt: str, engine: str) -> None:
    """Classify the ontology and the data; print each inferred study class and why.

    Uses the fast classifier (rules compiled from the ontology, identical to HermiT's
    classifications); --engine hermit runs HermiT (Java). Writes build/inferred.ttl.
    Exits 1 when the graph is inconsistent, naming the clash (and writes nothing).
    """
    import json

    from ibmkg.build import infer, private_tempdir, reasoner
    from ibmkg.canonical import canonical_turtle
    from ibmkg.namespaces import curie_for
    from ibmkg.progress import terminal_progress

    layout = ctx.layout()
    with terminal_progress().step("reasoning"), private_tempdir(layout.build):
        result, triples = infer(layout, engine)
    reasoner().write_inferred(result, layout.build / reasoner().INFERRED_FILE)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    chosen = ReasonFormat(fmt)
    if chosen is ReasonFormat.TURTLE:
        header = reasoner().inferred_header(result.engine, result.digest)
        click.echo(canonical_turtle(triples, header=header), nl=False)
    elif chosen is ReasonFormat.JSON:
        document = {
            "consistent": result.consistent, "engine": result.engine.value,
            "notes": result.notes, "unsatisfiable_classes": result.unsatisfiable_classes,
            "inferred": {study: [{"class": t.class_iri, "label": t.label,
                                  "justification": t.justification} for t in types]
                         for study, types in sorted(result.inferred.items())},
        }
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        for study, cls, why in reasoner().summary_rows(result):
            click.echo(f"{curie_for(study) or study}  {curie_for(cls) or cls}  {why}")
        unsatisfiable = ", ".join(curie_for(c) or c for c in result.unsatisfiable_classes)
        click.echo(f"consistent; unsatisfiable classes: {unsatisfiable or 'none'}; "
                   f"{len(triples)} inferred triple(s) by {result.engine.value} in "
                   f"{result.seconds:.1f} s, written to "
                   f"{layout.relative(layout.build / reasoner().INFERRED_FILE).as_posix()}",
                   err=True)
