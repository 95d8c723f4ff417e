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
import hashlib
import io
import json
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from builder.config import BuildConfig
from builder.diagnostics import BuildError, Diagnostic, display_path
from builder.incremental import MANIFEST, Manifest, build_lock
from builder.output import output_folder, replace_together
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
#: The largest report folder a client sends to its workers.
MAX_BUNDLE_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class ReportBundle:
    """A report folder as bytes, sent once to every Dask worker: `files` by relative path."""

    digest: str
    files: tuple[tuple[str, bytes], ...]


def bundle_report(report_dir: Path) -> ReportBundle:
    """Return the files of `report_dir` (hidden files and folders left out, as the build's
    input hash does); raise SchedulerError when they are too large to send."""
    files: list[tuple[str, bytes]] = []
    digest = hashlib.sha256()
    total = 0
    for path in sorted(report_dir.rglob("*")):
        relative = path.relative_to(report_dir)
        if not path.is_file() or path.is_symlink() or any(
                part.startswith(".") or part == "__pycache__" for part in relative.parts):
            continue
        payload = path.read_bytes()
        total += len(payload)
        if total > MAX_BUNDLE_BYTES:
            raise SchedulerError(f"the report folder is over {MAX_BUNDLE_BYTES >> 20} MB, too "
                                 f"much to send to the workers (use --shared-out)")
        files.append((relative.as_posix(), payload))
        digest.update(relative.as_posix().encode() + b"\0" + hashlib.sha256(payload).digest())
    return ReportBundle(digest.hexdigest(), tuple(files))


def _worker_root(bundle: ReportBundle) -> Path:
    """Return this machine's copy of the bundled report folder, unpacked once per bundle."""
    base = Path(tempfile.gettempdir()) / "report-builder-worker"
    root = base / bundle.digest[:24]
    if root.is_dir():
        return root
    staging = base / f".{bundle.digest[:24]}.{uuid.uuid4().hex}"
    for name, payload in bundle.files:
        target = staging.joinpath(*name.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(payload)
    staging.mkdir(parents=True, exist_ok=True)
    try:
        staging.rename(root)  # atomic: another worker process on this machine may win
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
    return root


@dataclass
class RemoteResult:
    """A variant built on a worker: its result and the files the client writes (by name)."""

    result: VariantResult
    files: dict[str, bytes] = field(default_factory=dict)


def build_variant_remote(config: BuildConfig, variant: Variant, bundle: ReportBundle,
                         manifest: bytes | None) -> RemoteResult:
    """Build one variant on a worker from the bundled report; return the bytes to write.

    The worker touches neither the client's report folder nor its output folder: it builds in
    a temporary folder, starting from the `manifest` the client holds (outputs it checked are
    up to date by key), and returns the new outputs and manifest. Problems in the report's
    files are given with the client's paths.
    """
    root = _worker_root(bundle)
    cache = Path(tempfile.gettempdir()) / "report-builder-worker" / "cache"
    with tempfile.TemporaryDirectory(prefix="report-builder-variant-") as scratch:
        out = Path(scratch)
        if manifest is not None:
            report_id = json.loads(manifest).get("report", "")
            if report_id:
                folder = output_folder(out, report_id, variant.id)
                folder.mkdir(parents=True)
                (folder / MANIFEST).write_bytes(manifest)
        local = replace(config, report_dir=root, out_dir=out, outputs_elsewhere=True,
                        cache_dir=cache / bundle.digest[:24])
        result = build_variant(local, variant)
        files = {}
        if result.status == "built":
            files = {p.name: p.read_bytes() for p in result.written}
            files[MANIFEST] = (result.written[0].parent / MANIFEST).read_bytes()
        result.diagnostics = [replace(d, path=_client_path(d.path, root, config.report_dir))
                              for d in result.diagnostics]
        result.written = [Path(name) for name in files if name != MANIFEST]
    return RemoteResult(result, files)


def _client_path(path: str, root: Path, client_root: Path) -> str:
    """Return a worker's problem path as the client names it (its report folder for ours)."""
    full = (Path.cwd() / path).resolve()  # relative when below the worker's own folder
    try:
        return str(client_root / full.relative_to(root.resolve()))
    except ValueError:
        return path


def _not_sendable(config: BuildConfig) -> str | None:
    """Return why the workers could not build from the bundled report alone, or None."""
    from builder.resources import bundled

    if config.font_paths:
        return "--font-path folders are on this machine only"
    if config.reference_docx:
        return "a reference document is on this machine only"
    if config.theme is not None and not (bundled("templates") / "themes" / config.theme
                                         / "theme.yaml").is_file():
        return "a --theme folder is on this machine only (name a bundled theme, or set theme: " \
               "in report.yaml to a folder inside the report)"
    return None


def checked_manifest(folder: Path) -> bytes | None:
    """Return the manifest of a variant's folder with only the outputs whose files are intact
    (a worker trusts what it is sent), or None when there is none."""
    manifest = Manifest.load(folder)
    if not manifest.data:
        return None
    outputs = manifest.data.get("outputs", {})
    manifest.data["outputs"] = {
        name: record for name, record in outputs.items()
        if manifest.up_to_date(name, record.get("key", ""), folder / name)}
    return json.dumps(manifest.data, sort_keys=True, ensure_ascii=False).encode("utf-8")


def write_remote(folder: Path, remote: RemoteResult) -> VariantResult:
    """Write what a worker built into the variant's `folder`: the outputs all together, then
    the manifest, under the folder's build lock; return the result with the client's paths."""
    result = remote.result
    if not remote.files:
        return result
    outputs = [(folder / name, payload) for name, payload in remote.files.items()
               if name != MANIFEST]
    folder.mkdir(parents=True, exist_ok=True)
    with build_lock(folder):
        replace_together(outputs)
        manifest = Manifest(folder / MANIFEST, json.loads(remote.files[MANIFEST]))
        for path, _ in outputs:  # the files here have their own times
            record = manifest.data.get("outputs", {}).get(path.name)
            if record is not None:
                record["mtime_ns"] = path.stat().st_mtime_ns
        manifest.save()
    result.written = [path for path, _ in outputs]
    return result


class SchedulerError(Exception):
    """The Dask scheduler could not be reached or started (a usage problem, not content)."""


def _dask_batch(config: BuildConfig, todo: list[Variant], scheduler: str, jobs: int,
                done: Callable[[VariantResult], None] | None, shared: bool = False,
                ) -> dict[str, VariantResult]:
    """Build the variants on a Dask cluster: `local` starts a LocalCluster of `jobs` workers.

    The client sends the report folder to every worker once; a worker builds a variant in a
    temporary folder and returns the bytes, and the client writes them with the same atomic
    writes and lock as `build`. A worker lost mid-build has written nothing; its variant runs
    again (Dask retries) on another worker. With `shared`, workers read the report and write
    the outputs themselves, in folders every worker mounts at the same paths.
    """
    try:
        from distributed import Client, LocalCluster
        from distributed import as_completed as dask_completed
    except ImportError:
        raise SchedulerError("--scheduler needs Dask's distributed scheduler: "
                             "pip install 'report-builder[dask]'") from None
    from builder.readers.report import read_report

    results: dict[str, VariantResult] = {}
    single = replace(config, jobs=1, report_dir=config.report_dir.resolve(),
                     out_dir=config.out_dir.resolve(),
                     cache_dir=config.cache_dir.resolve() if config.cache_dir else None)
    record, _ = read_report(single.report_dir)
    if not shared and (problem := _not_sendable(single)):
        raise SchedulerError(f"{problem}: the workers would not see it; use --shared-out "
                             f"with folders every worker mounts")
    bundle = None if shared else bundle_report(single.report_dir)
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

        def folder(variant: Variant) -> Path | None:
            return output_folder(single.out_dir, record.id, variant.id) if record else None

        def submit(variant: Variant) -> Any:
            key = f"report-builder-variant-{variant.id}-{uuid.uuid4().hex[:8]}"
            if bundle is None:
                return client.submit(build_variant, single, variant, retries=DASK_RETRIES,
                                     pure=False, key=key)
            where = folder(variant)
            manifest = checked_manifest(where) if where else None
            return client.submit(build_variant_remote, single, variant, sent, manifest,
                                 retries=DASK_RETRIES, pure=False, key=key)

        sent = client.scatter(bundle, broadcast=True) if bundle is not None else None
        futures = [submit(v) for v in todo]
        by_key = {f.key: v for f, v in zip(futures, todo, strict=True)}
        for future in dask_completed(futures):
            variant = by_key[future.key]
            try:
                outcome = future.result()
                result = outcome if isinstance(outcome, VariantResult) else \
                    _written(folder(variant), outcome)
            except Exception as exc:  # noqa: BLE001 - a worker lost more often than retried
                result = VariantResult(variant, "failed", diagnostics=[_error(
                    variant.path, variant.line, f"variant {variant.id!r} failed on the "
                                                f"cluster: {type(exc).__name__}: {exc}")])
            results[variant.id] = result
            if done:
                done(result)
    return results


def _written(folder: Path | None, remote: RemoteResult) -> VariantResult:
    """Write a worker's bytes (when it built any) and give problems the client's paths."""
    result = remote.result
    result.diagnostics = [replace(d, path=display_path(d.path)) for d in result.diagnostics]
    if folder is None or not remote.files:
        return result
    try:
        return write_remote(folder, remote)
    except OSError as exc:
        return VariantResult(result.variant, "failed", result.seconds,
                             diagnostics=[_error(Path(exc.filename or folder), 0, str(exc))])


def run_batch(config: BuildConfig, variants: Iterable[Variant], jobs: int = 1,
              done: Callable[[VariantResult], None] | None = None,
              scheduler: str | None = None, shared: bool = False) -> list[VariantResult]:
    """Build every variant; return their results in the order of the variants file.

    With `jobs` > 1, that many variants build at once in worker processes, each building its own
    outputs in turn (`config.jobs` is set to 1 there); with `scheduler` (a Dask address, or
    `local`), on a Dask cluster, whose workers return the bytes this process writes (with
    `shared`, they write to the shared output folder). `done` is called as each variant ends.
    """
    todo = list(variants)
    results: dict[str, VariantResult] = {}
    if scheduler:
        results = _dask_batch(config, todo, scheduler, jobs, done, shared)
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
