"""Batch builds: one report folder, a table of variants, each variant built like `build`.

A variants file lists one variant per row: its `id` and values for the report's parameters.
CSV (a header row naming `id` and parameters) or YAML (a list of mappings with `id`):

    id,region
    global,global
    apac,APAC

Each variant builds into `out/<report>/<variant>/` with its own manifest, so an unchanged variant
is skipped and a changed row rebuilds only its variant. A failing variant never stops the others:
its problems are reported with its id, and the batch ends with exit code 1. Variants run in local
worker processes (`jobs`); each builds its outputs in its own process, one after another, and
every variant shares the report's chart and font cache.
"""

from __future__ import annotations

import csv
import io
import re
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path

from builder.config import BuildConfig
from builder.diagnostics import BuildError, Diagnostic, display_path
from builder.readers.yamlsrc import LDict, LList, load_yaml, read_source_text

VARIANT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
#: The most variants one file may list.
MAX_VARIANTS = 100_000


@dataclass(frozen=True)
class Variant:
    """One row of a variants file."""

    id: str
    params: tuple[tuple[str, str], ...]
    path: Path
    line: int


@dataclass
class VariantResult:
    """What building one variant did."""

    variant: Variant
    status: str  # "built", "skipped" or "failed"
    seconds: float = 0.0
    written: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _error(path: Path, line: int, message: str) -> Diagnostic:
    return Diagnostic(display_path(path), line, "error", message)


def read_variants(path: Path) -> list[Variant]:
    """Return the variants listed in a CSV or YAML file; raise BuildError on problems."""
    rows: list[tuple[int, dict[str, object]]] = []
    problems: list[Diagnostic] = []
    if path.suffix.lower() == ".csv":
        text = read_source_text(path)
        reader = csv.reader(io.StringIO(text))
        header: list[str] | None = None
        for number, cells in enumerate(reader, start=1):
            if not cells or all(not c.strip() for c in cells):
                continue
            if header is None:
                header = [c.strip() for c in cells]
                if "id" not in header:
                    problems.append(_error(path, number, "the header row names no 'id' column"))
                    break
                continue
            if len(cells) != len(header):
                problems.append(_error(path, number, f"row has {len(cells)} cells, the header "
                                                     f"{len(header)}"))
                continue
            rows.append((reader.line_num, dict(zip(header, (c.strip() for c in cells),
                                                   strict=True))))
    elif path.suffix.lower() in (".yaml", ".yml"):
        node = load_yaml(path)
        if not isinstance(node, LList):
            raise BuildError([_error(path, 1, "a variants file lists mappings with an id")])
        for index, item in enumerate(node):
            line = node.line_of(index)
            if not isinstance(item, LDict):
                problems.append(_error(path, line, "a variant is a mapping with an id"))
                continue
            rows.append((line, {str(k): v for k, v in item.items()}))
    else:
        raise BuildError([_error(path, 0, "a variants file is .csv, .yaml or .yml")])
    variants: list[Variant] = []
    seen: dict[str, int] = {}
    for line, row in rows[:MAX_VARIANTS + 1]:
        ident = str(row.pop("id", "") or "")
        if len(variants) >= MAX_VARIANTS:
            problems.append(_error(path, line, f"more than {MAX_VARIANTS} variants"))
            break
        if not VARIANT_ID.match(ident):
            problems.append(_error(path, line, f"variant id {ident!r} must be letters, digits, "
                                               f". _ or - (at most 64), used as a folder name"))
            continue
        if ident in seen:
            problems.append(_error(path, line, f"duplicate variant id {ident!r} (first at line "
                                               f"{seen[ident]})"))
            continue
        seen[ident] = line
        # An empty cell leaves the parameter at its default.
        params = tuple((str(k), str(v).lower() if isinstance(v, bool) else str(v))
                       for k, v in row.items() if v is not None and v != "")
        variants.append(Variant(ident, params, path, line))
    if problems:
        raise BuildError(problems)
    if not variants:
        raise BuildError([_error(path, 1, "the variants file lists no variant")])
    return variants


def build_variant(config: BuildConfig, variant: Variant) -> VariantResult:
    """Build one variant (in this process); never raise for a content problem."""
    from builder.pipeline import build

    started = time.perf_counter()
    try:  # problems with the values are located at the variant's row
        result = build(replace(config, params=variant.params, variant=variant.id,
                               params_at=(variant.path, variant.line)))
    except BuildError as exc:
        return VariantResult(variant, "failed", time.perf_counter() - started,
                             diagnostics=list(exc.diagnostics))
    except OSError as exc:
        return VariantResult(variant, "failed", time.perf_counter() - started,
                             diagnostics=[_error(Path(exc.filename or "."), 0, str(exc))])
    return VariantResult(variant, "built" if result.written else "skipped",
                         time.perf_counter() - started, list(result.written),
                         list(result.diagnostics))


#: How often Dask runs a variant again after its worker was lost, before it counts as failed.
DASK_RETRIES = 2


class SchedulerError(Exception):
    """The Dask scheduler could not be reached or started (a usage problem, not content)."""


def _dask_batch(config: BuildConfig, todo: list[Variant], scheduler: str, jobs: int,
                done: Callable[[VariantResult], None] | None,
                ) -> dict[str, VariantResult]:
    """Build the variants on a Dask cluster: `local` starts a LocalCluster of `jobs` workers.

    Workers build into the shared output folder with the same atomic writes and lock as
    `build`, so a worker lost mid-build leaves no half-written output; its variant runs again
    (Dask retries) on another worker.
    """
    try:
        from distributed import Client, LocalCluster
        from distributed import as_completed as dask_completed
    except ImportError:
        raise SchedulerError("--scheduler needs Dask's distributed scheduler: "
                             "pip install 'report-builder[dask]'") from None
    results: dict[str, VariantResult] = {}
    with ExitStack() as stack:
        try:
            if scheduler == "local":
                cluster = stack.enter_context(LocalCluster(
                    n_workers=max(jobs, 1), threads_per_worker=1, processes=True,
                    dashboard_address=None))
                client = stack.enter_context(Client(cluster))
            else:
                client = stack.enter_context(Client(scheduler, timeout="10s"))
        except (OSError, TimeoutError, ValueError) as exc:
            raise SchedulerError(f"cannot reach the Dask scheduler {scheduler!r}: {exc}") \
                from None
        # Workers may run in another folder (or on another machine with a shared filesystem).
        single = replace(config, jobs=1, report_dir=config.report_dir.resolve(),
                         out_dir=config.out_dir.resolve(),
                         cache_dir=config.cache_dir.resolve() if config.cache_dir else None)
        futures = [client.submit(build_variant, single, v, retries=DASK_RETRIES, pure=False,
                                 key=f"report-builder-variant-{v.id}-{uuid.uuid4().hex[:8]}")
                   for v in todo]
        by_key = {f.key: v for f, v in zip(futures, todo, strict=True)}
        for future in dask_completed(futures):
            variant = by_key[future.key]
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - a worker lost more often than retried
                result = VariantResult(variant, "failed", diagnostics=[_error(
                    variant.path, variant.line, f"variant {variant.id!r} failed on the "
                                                f"cluster: {type(exc).__name__}: {exc}")])
            results[variant.id] = result
            if done:
                done(result)
    return results


def run_batch(config: BuildConfig, variants: Iterable[Variant], jobs: int = 1,
              done: Callable[[VariantResult], None] | None = None,
              scheduler: str | None = None) -> list[VariantResult]:
    """Build every variant; return their results in the order of the variants file.

    With `jobs` > 1, that many variants build at once in worker processes, each building its own
    outputs in turn (`config.jobs` is set to 1 there); with `scheduler` (a Dask address, or
    `local`), on a Dask cluster. `done` is called as each variant ends.
    """
    todo = list(variants)
    results: dict[str, VariantResult] = {}
    if scheduler:
        results = _dask_batch(config, todo, scheduler, jobs, done)
    elif jobs <= 1 or len(todo) == 1:
        for variant in todo:
            results[variant.id] = build_variant(config, variant)
            if done:
                done(results[variant.id])
    else:
        single = replace(config, jobs=1)
        with ProcessPoolExecutor(max_workers=min(jobs, len(todo))) as pool:
            futures = {pool.submit(build_variant, single, v): v for v in todo}
            for future in as_completed(futures):
                result = future.result()
                results[result.variant.id] = result
                if done:
                    done(result)
    return [results[v.id] for v in todo]
