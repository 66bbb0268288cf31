"""Progress reporting for long steps, injected by the CLI (the library never prints).

A step that finishes within a second prints nothing; a longer one shows its name on the
stream after one second and its duration when it ends.

>>> import io
>>> out = io.StringIO()
>>> with Progress(out, delay=0.0).step("loading"):
...     pass
>>> out.getvalue().startswith("loading")
True
>>> with NULL_PROGRESS.step("silent"):
...     pass
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Iterator
from typing import TextIO


class Progress:
    """Report steps on a text stream (usually standard error).

    :param stream: where to write.
    :param delay: seconds a step must run before it is shown.
    """

    def __init__(self, stream: TextIO | None, *, delay: float = 1.0) -> None:
        self.stream = stream
        self.delay = delay

    @contextlib.contextmanager
    def step(self, label: str) -> Iterator[None]:
        """Time a step, announcing it once it has run for ``delay`` seconds.

        :param label: what the step does.
        :returns: a context manager around the step.
        """
        if self.stream is None:
            yield
            return
        stream = self.stream
        shown = threading.Event()
        lock = threading.Lock()

        def announce() -> None:
            with lock:
                shown.set()
                stream.write(f"{label} ...")
                stream.flush()

        start = time.monotonic()
        timer = threading.Timer(self.delay, announce)
        timer.daemon = True
        if self.delay <= 0:
            announce()
        else:
            timer.start()
        try:
            yield
        finally:
            timer.cancel()
            with lock:
                if shown.is_set():
                    stream.write(f" {time.monotonic() - start:.1f} s\n")
                    stream.flush()


#: A reporter that reports nothing (the default of library functions).
NULL_PROGRESS = Progress(None)


def terminal_progress(stream: TextIO | None = None) -> Progress:
    """Progress on a terminal, silence when the stream is piped or redirected.

    :param stream: where to report (default: standard error).
    :returns: a reporter on ``stream`` when it is a TTY, else :data:`NULL_PROGRESS`.

    >>> import io
    >>> terminal_progress(io.StringIO()) is NULL_PROGRESS
    True
    """
    stream = stream if stream is not None else sys.stderr
    isatty = getattr(stream, "isatty", None)
    return Progress(stream) if callable(isatty) and isatty() else NULL_PROGRESS
