"""Unattended rebuilds: `watch` (rebuild on file changes) and `schedule` (rebuild on a cron line).

Both call the same incremental `build()`, so a run with no changed input does no work. Each
rebuild prints one line; errors print their located lines and the loop goes on.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from builder.config import BuildConfig
from builder.diagnostics import BuildError

Echo = Callable[[str], None]


def next_runs(cron: str, start: dt.datetime, count: int = 5) -> list[dt.datetime]:
    """Return the next `count` times after `start` that match the cron line `cron`."""
    from croniter import croniter

    if not croniter.is_valid(cron):
        raise ValueError(f"invalid cron expression {cron!r}")
    iterator = croniter(cron, start)
    return [iterator.get_next(dt.datetime) for _ in range(count)]


def run_once(config: BuildConfig, echo: Echo, quiet_when_current: bool = False) -> int:
    """Build once and print one summary line; return the exit code (0 ok, 1 failed).

    With `quiet_when_current` a build that wrote nothing prints nothing.
    """
    from builder.pipeline import build

    started = time.perf_counter()
    stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    try:
        result = build(config)
    except BuildError as exc:
        for item in exc.diagnostics:
            echo(item.format())
        echo(f"{stamp} build failed: {len(exc.diagnostics)} problem(s); outputs unchanged")
        return 1
    except Exception as exc:  # noqa: BLE001 - watch and schedule outlive one bad build
        echo(f"{stamp} error: internal error: {type(exc).__name__}: {exc}; outputs unchanged, "
             f"still watching")
        return 1
    seconds = time.perf_counter() - started
    if result.written:
        names = ", ".join(p.name for p in result.written)
        echo(f"{stamp} rebuilt {len(result.written)} output(s) in {seconds:.2f} s: {names}")
        for kind in ("data", "sections"):
            if result.changes.get(kind):
                echo(f"{stamp} changed {kind}: " + "; ".join(result.changes[kind]))
    elif not quiet_when_current:
        echo(f"{stamp} up to date ({seconds:.2f} s)")
    return 0


def preview_of(config: BuildConfig) -> BuildConfig | None:
    """Return the build `watch` runs first after an edit: the first edition's PDF alone, so
    the file a writer keeps open shows the edit before the other outputs are rendered (zh PDF
    0.14 s after the debounce, all six outputs about 1 s here). None when the PDF is all
    there is to build, or no PDF is asked for.
    """
    if "pdf" not in config.formats or (config.formats == ("pdf",) and len(config.editions) == 1):
        return None
    return replace(config, formats=("pdf",), first_edition_only=True, force=False)


def schedule(config: BuildConfig, cron: str, echo: Echo,
             stop: threading.Event | None = None) -> None:
    """Run `run_once` at every time matching `cron`, in the foreground, until `stop` is set."""
    stop = stop or threading.Event()
    while not stop.is_set():
        now = dt.datetime.now().astimezone()
        upcoming = next_runs(cron, now, 1)[0]
        echo(f"{now.isoformat(timespec='seconds')} next build at "
             f"{upcoming.isoformat(timespec='seconds')}")
        if stop.wait(max(0.0, (upcoming - dt.datetime.now().astimezone()).total_seconds())):
            return
        run_once(config, echo)


def warm_up(config: BuildConfig) -> None:
    """Load, once, what every rebuild of a long-lived `watch` needs: engines, fonts, matplotlib.

    Each rebuild forks its chart and output workers from this process, so they start with the
    engines imported, the theme's fonts parsed and matplotlib loaded instead of paying for it
    on every edit (about 0.2 s per output worker and 0.4 s per chart worker here).
    """
    from builder.charts.render import load_renderers
    from builder.parallel import import_engines

    try:
        from builder.pipeline import resolve_theme

        theme = resolve_theme(config)
    except BuildError:
        return  # every build reports the broken theme; warming up is only a speed-up
    import_engines(config.formats, theme)
    if config.render_charts:
        load_renderers()


def watch(config: BuildConfig, echo: Echo, debounce_s: float = 0.1,
          stop: threading.Event | None = None, extra_paths: tuple[Path, ...] = ()) -> None:
    """Rebuild whenever a file of the report changes, debounced, until `stop` is set."""
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    stop = stop or threading.Event()
    preview = preview_of(config)
    said: list[str] = []  # what the preview of the current rebuild printed

    def echo_saying(line: str) -> None:
        said.append(line)
        echo(line)

    changed = threading.Event()
    last_change = [0.0]  # monotonic time of the latest change event
    # whether that event ended a save: a file closed after writing, or moved into place (an
    # editor's atomic save); a burst of them still comes closer than a third of the debounce
    complete = [False]
    out_dir = config.out_dir.resolve()

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            # Reading a file (the build itself does) raises opened/closed-no-write events:
            # only changes count.
            if event.event_type not in ("created", "modified", "deleted", "moved", "closed"):
                return
            path = Path(str(event.src_path)).resolve()
            if event.is_directory or out_dir in path.parents or path.name.startswith("."):
                return
            last_change[0] = time.monotonic()
            complete[0] = event.event_type in ("closed", "moved")
            changed.set()

    observer = Observer()
    for folder in (config.report_dir, *extra_paths):
        observer.schedule(Handler(), str(folder), recursive=True)
    observer.start()
    try:
        run_once(config, echo)
        warm_up(config)
        echo(f"watching {config.report_dir} (Ctrl-C to stop)")
        while not stop.is_set():
            if not changed.wait(0.2):
                continue
            # Debounce: editors save in bursts (a write, then its close, or several files);
            # build once nothing has changed for `debounce_s`, or a third of it after a save
            # that is complete (33 ms of the 0.3 s the zh PDF may take). A change that comes
            # after `clear()` sets the flag again and is built next.
            while not stop.is_set():
                quiet = time.monotonic() - last_change[0]
                wait = debounce_s / 3 if complete[0] else debounce_s
                if quiet >= wait:
                    break
                time.sleep(wait - quiet)
            changed.clear()
            if stop.is_set():
                break
            # The preview's own build is atomic like any other; the full build after it
            # finds that PDF up to date. A preview that fails has said what the full build
            # would say, so that one is not run; one that rebuilt has said the edit was seen,
            # so a full build with nothing left to do says nothing.
            said.clear()
            if preview is not None and run_once(preview, echo_saying, quiet_when_current=True):
                continue
            run_once(replace(config, force=False), echo, quiet_when_current=bool(said))
    finally:
        observer.stop()
        observer.join()
