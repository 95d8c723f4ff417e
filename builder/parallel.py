"""Worker processes for the build: charts drawn while compose runs, outputs rendered side by side.

The pipeline uses two short-lived pools of forked processes, both started before compose: chart
workers draw the charts the cache lacks while the main process composes, and output workers
import the engines meanwhile, then render one `Document` each (longest first). Workers end with
the build, even a killed one. With `jobs=1`, one core, or no `fork`, the same functions run in
this process: the bytes are the same either way.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from builder.charts.stage import InlineExecutor
from builder.engines import ENGINES, engine_module
from builder.model.document import Document
from builder.themes import Theme

T = TypeVar("T")



def available_cores() -> int:
    """Return how many cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker_count(jobs: int, tasks: int) -> int:
    """Return how many worker processes to use for `tasks` tasks (`jobs` 0 means every core)."""
    wanted = jobs if jobs > 0 else available_cores()
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if multiprocessing.current_process().daemon:
        # A daemonic process (a multiprocessing.Pool or Celery prefork worker) may not have
        # children: build in this process. The outputs are the same bytes.
        return 1
    return max(1, min(wanted, tasks))


@cache
def _worker_context() -> multiprocessing.context.BaseContext:
    """Return a `fork` context whose processes are daemonic: ended, not waited for, at exit.

    A pool's own thread normally ends its workers. Ctrl-C can arrive while the pool is still
    forking them, before that thread exists: a non-daemonic worker would then wait for work
    forever while the exiting build process waits for it (a hang CI once hit).
    Only called where `fork` exists (`worker_count` says so).
    """
    from multiprocessing.context import ForkContext, ForkProcess

    class WorkerProcess(ForkProcess):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.daemon = True

    class WorkerContext(ForkContext):
        Process = WorkerProcess  # type: ignore[assignment]

    return WorkerContext()


def _die_with_parent(parent: int) -> None:
    """Worker initializer: end this worker as soon as the build process ends, however it ends.

    A forked worker shares the build lock's open file with the build process; a worker left
    behind by a killed build would hold the lock, and every later build would wait for it.
    """
    try:
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the parent's end closes the call queue
        pass
    if os.getppid() != parent:  # the build ended before the signal was armed
        os._exit(1)
    # Ctrl-C reaches the whole process group: the build process alone answers it (one line,
    # exit 130); a worker would only print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _start_chart_worker(parent: int) -> None:
    """Chart worker initializer for a cold build: tie it to the build, then load matplotlib."""
    _die_with_parent(parent)
    from builder.charts.render import load_renderers

    load_renderers()


@contextmanager
def executor(workers: int, warm_charts: bool = False) -> Iterator[Executor]:
    """Yield a pool of `workers` forked processes, or an inline executor for one worker.

    With `warm_charts` the workers start at once and load matplotlib before any chart arrives.
    """
    if workers <= 1:
        yield InlineExecutor()
        return
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=_worker_context(),
        initializer=_start_chart_worker if warm_charts else _die_with_parent,
        initargs=(os.getpid(),))
    try:
        if warm_charts:
            for _ in range(workers):
                pool.submit(_ready)  # a fork pool starts its workers on the first submit
        yield pool
    except BaseException:
        # Interrupted or failed: do not wait for charts nobody will use.
        abandon(pool)
        raise
    pool.shutdown(wait=True, cancel_futures=True)


def abandon(pool: ProcessPoolExecutor) -> None:
    """Stop `pool` without waiting: cancel queued work and kill the workers at once.

    A worker ignores Ctrl-C and would finish its task first; at exit the interpreter joins the
    pool, so an interrupted build would wait for work nobody will use (or, if a worker never
    ends, forever). Killing the workers makes the pool see them gone and end its own thread.
    """
    workers = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        if worker.is_alive():
            worker.kill()
    for worker in workers:
        worker.join(timeout=5)


def import_engines(formats: Iterable[str], theme: Theme | None = None) -> None:
    """Import the engines of `formats` now (and run their `prepare(theme)`, if any)."""
    for fmt in formats:
        engine = engine_module(fmt)
        prepare = getattr(engine, "prepare", None)
        if theme is not None and prepare is not None:
            prepare(theme)


def render_output(document: Document, fmt: str, theme: Theme,
                  options: dict[str, Any]) -> tuple[bytes, float]:
    """Return the bytes of `document` in `fmt` and the seconds it took."""
    started = time.perf_counter()
    engine = engine_module(fmt)
    payload = engine.render(document, theme, **options)
    return payload, time.perf_counter() - started


def _start_worker(parent: int, formats: tuple[str, ...], theme: Theme) -> None:
    """Output worker initializer: tie the worker to the build, then set up the engines."""
    _die_with_parent(parent)
    import_engines(formats, theme)


def _ready() -> int:
    return os.getpid()


# The documents of a pool forked after compose: set just before it forks, read by `_inherited`.
_INHERITED: dict[str, Document] = {}


def _render_sent(document: Document, fmt: str, theme: Theme,
                 options: dict[str, Any]) -> tuple[bytes, float]:
    return render_output(document, fmt, theme, options)


def _render_inherited(edition: str, fmt: str, theme: Theme,
                      options: dict[str, Any]) -> tuple[bytes, float]:
    return render_output(_INHERITED[edition], fmt, theme, options)


def _cost(edition: str, fmt: str) -> float:
    """Return the rough relative time of an output, to start the longest first."""
    return ENGINES[fmt].cost * (2 if edition == "bilingual" else 1)


def _longest_first(todo: list[tuple[str, str, Path]], indices: Iterable[int]) -> list[int]:
    """Return `indices` of `todo` ordered by falling cost, so the longest outputs start first."""
    return sorted(indices, key=lambda i: -_cost(todo[i][0], todo[i][1]))


def split_workers(workers: int, todo: list[tuple[str, str, Path]]) -> dict[str, int]:
    """Return how many of `workers` render each format: by the formats' shares of the work.

    Each worker sets up only the engine of its format (imports, font parsing), instead of
    every worker setting up every engine. One worker, or one format, gets everything (`""`).
    """
    costs: dict[str, float] = {}
    outputs: dict[str, int] = {}
    for edition, fmt, _ in todo:
        costs[fmt] = costs.get(fmt, 0.0) + _cost(edition, fmt)
        outputs[fmt] = outputs.get(fmt, 0) + 1
    if workers < len(costs) or len(costs) == 1:
        return {"": workers}
    share = {fmt: 1 + (workers - len(costs)) * cost / sum(costs.values())
             for fmt, cost in costs.items()}
    counts = {fmt: int(value) for fmt, value in share.items()}
    for fmt in sorted(share, key=lambda f: counts[f] - share[f])[:workers - sum(counts.values())]:
        counts[fmt] += 1  # the largest remainders get the workers left over
    return {fmt: min(count, outputs[fmt]) for fmt, count in counts.items()}


class OutputPool:
    """Worker processes that render outputs; started early, or forked after compose.

    `early=True` forks the workers at once: they import the engines while this process reads
    chart specs and composes, and each output's `Document` is then sent to a worker (best when
    nothing else keeps the cores busy, e.g. a rebuild after an edit). `early=False` imports the
    engines here (while chart workers draw) and forks the workers after compose, so they
    inherit the documents. Workers are split by format (`split_workers`), so each sets up one
    engine. With one core, `jobs=1`, or no `fork`, outputs are rendered in this process.
    """

    def __init__(self, jobs: int, todo: list[tuple[str, str, Path]], theme: Theme,
                 early: bool) -> None:
        self.formats = tuple(dict.fromkeys(fmt for _, fmt, _ in todo))
        self.theme = theme
        self.workers = worker_count(jobs, len(todo))
        # Workers forked after compose inherit every engine from this process: no set-up to
        # save, so they share one queue (the longest outputs first keeps them even).
        self.split = split_workers(self.workers, todo) if early else {"": self.workers}
        # Even one output goes to a worker when it can import its engine while compose runs;
        # not when this process has the engine already (a long-lived watch): forking costs
        # more than it saves (zh PDF after an edit 0.40-0.48 s in a worker, 0.30 s here).
        warm = all(ENGINES[fmt].module in sys.modules for fmt in self.formats)
        self.parallel = bool(todo) and jobs != 1 and worker_count(jobs, 2) > 1 and (
            self.workers > 1 or (early and not warm))
        self.pools: dict[str, ProcessPoolExecutor] = {}
        self._futures: dict[int, Future[tuple[bytes, float]]] = {}
        # indices of `todo` not to render: their Document is what the file already shows
        self.skip: set[int] = set()
        if self.parallel and early:
            self._start()

    def _start(self) -> None:
        for fmt, count in self.split.items():
            formats = (fmt,) if fmt else self.formats
            pool = ProcessPoolExecutor(
                max_workers=count, mp_context=_worker_context(),
                initializer=_start_worker, initargs=(os.getpid(), formats, self.theme))
            for _ in range(count):
                pool.submit(_ready)  # a fork pool starts its workers on the first submit
            self.pools[fmt] = pool

    def prepare(self) -> None:
        """Set up the engines in this process (for workers forked later to inherit)."""
        if self.parallel and not self.pools:
            import_engines(self.formats, self.theme)

    def __enter__(self) -> OutputPool:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        self.close(wait=exc_type is None)

    def close(self, wait: bool = True) -> None:
        """Stop the workers; without `wait`, kill them and drop the work they were doing."""
        for pool in self.pools.values():
            if wait:
                pool.shutdown(wait=True, cancel_futures=True)
            else:
                abandon(pool)
        self.pools.clear()
        self._futures.clear()
        _INHERITED.clear()

    def _submit(self, i: int, document: Document | None, todo: list[tuple[str, str, Path]],
                theme: Theme, options: dict[str, dict[str, Any]],
                progress: Callable[[str], None]) -> None:
        edition, fmt, path = todo[i]
        progress(f"render {path.name}")
        pool = self.pools[fmt if fmt in self.pools else ""]
        if document is not None:
            self._futures[i] = pool.submit(_render_sent, document, fmt, theme,
                                           options.get(fmt, {}))
        else:
            self._futures[i] = pool.submit(_render_inherited, edition, fmt, theme,
                                           options.get(fmt, {}))

    def send(self, edition: str, document: Document, todo: list[tuple[str, str, Path]],
             theme: Theme, options: dict[str, dict[str, Any]],
             progress: Callable[[str], None]) -> None:
        """Start rendering `edition` now when the workers are already waiting (else a no-op).

        Called as compose finishes each edition, so rendering overlaps composing the next.
        """
        if not self.parallel or not self.pools:
            return
        for i in _longest_first(todo, (i for i, t in enumerate(todo) if t[0] == edition)):
            if i not in self._futures and i not in self.skip:
                self._submit(i, document, todo, theme, options, progress)

    def render(self, todo: list[tuple[str, str, Path]], documents: dict[str, Document],
               theme: Theme, options: dict[str, dict[str, Any]],
               progress: Callable[[str], None],
               finish: Finish | None = None) -> list[tuple[Path, bytes, float]]:
        """Return `(path, bytes, seconds)` for every `(edition, format, path)` of `todo` not in
        `skip`, in order.

        `options` holds the engine options per format. Longer outputs start first. `finish`
        is a format, a progress line and a function that turns that format's outputs, all
        together, into their final bytes (the DOCX layout pass): it runs, in a thread of this
        process, as soon as the last of them is rendered, while the workers render the rest.
        """
        if not self.parallel:
            rendered = []
            for i, (edition, fmt, path) in enumerate(todo):
                if i in self.skip:
                    continue
                progress(f"render {path.name}")
                payload, seconds = render_output(documents[edition], fmt, theme,
                                                 options.get(fmt, {}))
                rendered.append((path, payload, seconds))
            return _finished(rendered, finish, progress)
        sent = bool(self.pools)
        if not sent:
            _INHERITED.update(documents)
            self._start()
        for i in _longest_first(todo, range(len(todo))):
            if i not in self._futures and i not in self.skip:
                self._submit(i, documents[todo[i][0]] if sent else None, todo, theme, options,
                             progress)
        first = [i for i in self._futures if finish and todo[i][1] == finish[0]]
        results = {i: self._futures[i].result() for i in first}
        with ThreadPoolExecutor(max_workers=1) as thread:
            finishing = None
            if first:
                assert finish is not None
                progress(finish[1])  # here: the thread does not see the command's settings
                finishing = thread.submit(_finished, [(todo[i][2], *results[i]) for i in first],
                                          finish)
            results.update({i: future.result() for i, future in self._futures.items()
                            if i not in results})
            if finishing is not None:
                for i, (_, payload, seconds) in zip(first, finishing.result(), strict=True):
                    results[i] = (payload, seconds)
        self._futures.clear()
        return [(path, *results[i]) for i, (_, _, path) in enumerate(todo) if i in results]


#: A format, a progress line, and what turns that format's rendered outputs, all together,
#: into their final bytes.
Finish = tuple[str, str, Callable[[list[bytes]], list[bytes]]]


def _finished(rendered: list[tuple[Path, bytes, float]], finish: Finish | None,
              progress: Callable[[str], None] | None = None) -> list[tuple[Path, bytes, float]]:
    """Return `rendered` with `finish` applied to the outputs of its format (the seconds it
    took shared out among them)."""
    if finish is None:
        return rendered
    fmt, line, function = finish
    chosen = [i for i, (path, _, _) in enumerate(rendered) if path.suffix == "." + fmt]
    if not chosen:
        return rendered
    if progress is not None:
        progress(line)
    started = time.perf_counter()
    payloads = function([rendered[i][1] for i in chosen])
    share = (time.perf_counter() - started) / len(chosen)
    done = list(rendered)
    for i, payload in zip(chosen, payloads, strict=True):
        done[i] = (rendered[i][0], payload, rendered[i][2] + share)
    return done
