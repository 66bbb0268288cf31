"""Regression: ``java_offline`` in parallel threads left ``JAVA_TOOL_OPTIONS`` set for good.

HermiT's batches run in parallel threads, each inside :func:`ibmkg.reasoning.offline.
java_offline`. Each body saved the variable as it found it and restored that: the second to
enter saved the first's proxy options and put them back last, so every Java started later by
the same process (Apache Jena's ``rsparql`` against ``ibmkg serve`` on 127.0.0.1, in the test
suite) was sent to the dead proxy and refused.
"""

from __future__ import annotations

import os
import threading

import pytest

from ibmkg.reasoning.offline import java_offline


@pytest.mark.parametrize("user_options", [None, "-Xss4m"])
def test_overlapping_bodies_restore_the_variable(monkeypatch: pytest.MonkeyPatch,
                                                 user_options: str | None) -> None:
    if user_options is None:
        monkeypatch.delenv("JAVA_TOOL_OPTIONS", raising=False)
    else:
        monkeypatch.setenv("JAVA_TOOL_OPTIONS", user_options)
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: list[str] = []

    def first() -> None:  # enters first, leaves first
        with java_offline():
            first_in.set()
            second_in.wait(10)
        first_out.set()

    def second() -> None:  # enters while the first runs, leaves after it
        first_in.wait(10)
        with java_offline():
            second_in.set()
            first_out.wait(10)
            seen.append(os.environ.get("JAVA_TOOL_OPTIONS", ""))

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert "-Dhttp.proxyPort=" in seen[0]  # still offline while the second body runs
    assert seen[0].count("-Dhttp.proxyPort=") == 1
    assert os.environ.get("JAVA_TOOL_OPTIONS") == user_options
