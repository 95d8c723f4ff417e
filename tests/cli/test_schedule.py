"""`schedule --dry-run` prints the next run times from a fixed clock; bad cron is a usage error."""

from __future__ import annotations

from click.testing import CliRunner

from builder.cli import main
from tests.helpers import REPORT


def test_dry_run_prints_the_next_five_mondays_at_seven():
    result = CliRunner().invoke(main, ["schedule", str(REPORT), "--cron", "0 7 * * MON",
                                       "--dry-run", "--start", "2026-11-27T12:00:00"])
    assert result.exit_code == 0, result.output
    assert result.output.split() == [
        "2026-11-30T07:00:00", "2026-12-07T07:00:00", "2026-12-14T07:00:00",
        "2026-12-21T07:00:00", "2026-12-28T07:00:00"]


def test_an_invalid_cron_line_is_a_usage_error():
    result = CliRunner().invoke(main, ["schedule", str(REPORT), "--cron", "61 7 * * MON",
                                       "--dry-run"])
    assert result.exit_code == 2
    assert "invalid cron expression '61 7 * * MON'" in result.output
    assert "Traceback" not in result.output
