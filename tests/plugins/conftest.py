"""Print the per-plugin pass counts of the ported plugin suites at the end of the run."""

from __future__ import annotations

import pytest

from .test_suites import SUMMARY

# Files that `make plugins` copies into the plugin suites; they import the plugins, so they never run from here.
collect_ignore = ["fixtures"]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if SUMMARY:
        terminalreporter.section("flytekitplugins suites on flytelite")
        for line in SUMMARY:
            terminalreporter.line(line)
