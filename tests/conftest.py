"""Shared test set-up: a run date that only the tests choose, and no silent skips in CI."""
from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True)
def _no_source_date(monkeypatch):
    """Tests start without SOURCE_DATE_EPOCH, whatever the caller's environment.

    charterc judges review dates against it when set (CI sets it for the README's
    build); a test that wants it sets it, and one that relies on the clock gets the clock.
    """
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def pytest_sessionfinish(session, exitstatus):
    """With CHARTERC_NO_SKIP set (`.ci/run` sets it), a skipped test fails the run.

    A fresh clone on a machine with chromium needs nothing else, so a skip there
    means a test lost what it needs.
    """
    if not os.environ.get("CHARTERC_NO_SKIP") or exitstatus != 0:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"CHARTERC_NO_SKIP: {len(skipped)} test(s) skipped; see the "
                            "skip reasons above", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
