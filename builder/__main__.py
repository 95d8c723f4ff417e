"""`python -m builder`: the same command line as `report-builder`."""

from builder.cli import main

main(prog_name="report-builder")
