"""Helpers shared by the click commands: located problem lines and the `_guard` decorator.

Part of the command-line layer (cli.py, cli_diagram.py, cli_authoring.py): they turn a
`BuildError` into one `path:line: error: message` line per problem and exit 1, never a traceback.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

import click

from builder.diagnostics import BuildError, Diagnostic, display_path

F = TypeVar("F", bound=Callable[..., Any])


def _print_diagnostics(items: Iterable[Diagnostic]) -> None:
    for item in items:
        click.echo(item.format(), err=True)


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
