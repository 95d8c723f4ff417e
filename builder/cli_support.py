"""Helpers shared by the click commands: located problem lines and the `_guard` decorator.

Part of the command-line layer (cli.py, cli_diagram.py, cli_authoring.py): they turn a
`BuildError` into one `path:line: error: message` line per problem and exit 1, never a traceback.
"""

from __future__ import annotations

import os
import re
import traceback
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

import click

from builder.diagnostics import BuildError, Diagnostic, display_path
from builder.engines.libreoffice import LayoutPassError

F = TypeVar("F", bound=Callable[..., Any])


def _setting(name: str, default: Any = None) -> Any:
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(f"report_builder.{name}", default) if ctx is not None else default


def color() -> bool | None:
    """Return whether to colour output: True, False, or None for "when it is a terminal"."""
    mode = _setting("color", "auto")
    if mode == "always":
        return True
    if mode == "never" or os.environ.get("NO_COLOR"):
        return False
    return None


def quiet() -> bool:
    """Return True when -q asked for nothing but problems."""
    return bool(_setting("quiet", False))


def verbose() -> bool:
    """Return True when -v asked for every step as a log line."""
    return bool(_setting("verbose", False))


def info(message: str, err: bool = False) -> None:
    """Print an informational line (what was written, what changed); -q silences it."""
    if not quiet():
        click.echo(message, err=err, color=color())


_SEVERITY = re.compile(r": (error|warning): ")


def _print_diagnostics(items: Iterable[Diagnostic], context: str = "") -> None:
    """Print one line per problem; `context` (e.g. a batch variant) ends each line."""
    for item in items:
        line = _SEVERITY.sub(lambda m: ": " + click.style(
            m.group(1), fg="red" if m.group(1) == "error" else "yellow", bold=True) + ": ",
            item.format(), count=1)
        click.echo(f"{line} [{context}]" if context else line, err=True, color=color())


def _store(name: str) -> Callable[[click.Context, click.Parameter, Any], None]:
    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> None:
        if value is not None:
            ctx.meta[f"report_builder.{name}"] = value
    return callback


def output_options(func: F) -> F:
    """Add -q/--quiet, -v/--verbose and --color to a command."""
    for option in reversed([
        click.option("-q", "--quiet", is_flag=True, default=None, expose_value=False,
                     callback=_store("quiet"), is_eager=True,
                     help="Print nothing but problems (exit code as usual)."),
        click.option("-v", "--verbose", is_flag=True, default=None, expose_value=False,
                     callback=_store("verbose"), is_eager=True,
                     help="Print every step as a log line, with its time."),
        click.option("--color", type=click.Choice(["auto", "always", "never"]), default=None,
                     expose_value=False, callback=_store("color"), is_eager=True,
                     help="Colour problem lines: auto (on a terminal, unless NO_COLOR is "
                          "set), always or never."),
    ]):
        func = option(func)
    return func


def _guard(func: F) -> F:
    """Turn BuildError into located lines and exit 1; hide tracebacks unless --debug."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        debug = bool(ctx.find_root().params.get("debug"))
        try:
            return func(*args, **kwargs)
        except BuildError as exc:
            _print_diagnostics(exc.diagnostics)
            errors = sum(d.severity == "error" for d in exc.diagnostics)
            warnings = len(exc.diagnostics) - errors
            click.echo(f"build failed: {errors} error(s), {warnings} warning(s); "
                       f"no output was changed", err=True)
            ctx.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except LayoutPassError as exc:
            raise click.UsageError(str(exc)) from None
        except KeyboardInterrupt:
            click.echo("interrupted; no output was changed", err=True)
            ctx.exit(130)
        except Exception as exc:  # noqa: BLE001 - the last line of defence for users
            if debug:
                traceback.print_exc()
            if isinstance(exc, OSError) and exc.filename:
                # The machine refused a file operation (a full disk, a read-only folder): a
                # problem with the surroundings, not with the tool, and said as such.
                click.echo(f"{display_path(exc.filename)}: error: {exc.strerror or exc}; "
                           f"the previous outputs are unchanged", err=True)
            else:
                click.echo(f"error: internal error: {type(exc).__name__}: {exc} "
                           f"(run with --debug for details)", err=True)
            ctx.exit(1)

    return wrapper  # type: ignore[return-value]
