"""A large district's rows made by a second process while this one writes them."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import pickle
import subprocess
import sys
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path

from fpdesk.core.errors import FpdeskError
from fpdesk.core.i18n import Text
from fpdesk.demo.district import Message, stream

# From this size on the rows are made by a second process: below it, starting one
# (a new interpreter that imports the program, some 0.3 s) costs more than it saves.
SECOND_PROCESS_FROM = 20_000


def second_process_main(argv: Sequence[str] | None = None) -> None:
    """The second process: `python -c "...second_process_main()" SEED DATE PERSONS INDEX`.

    Writes the stream to stdout, one pickled message after the other; a failure is
    sent as a message too.  Started with subprocess, not multiprocessing: a spawned
    multiprocessing child imports the caller's main script again, and a script without
    an `if __name__ == "__main__"` guard would then build a second demo.
    """
    seed, reference, persons, index = argv if argv is not None else sys.argv[1:]
    out = sys.stdout.buffer
    try:
        for message in stream(int(seed), dt.date.fromisoformat(reference), int(persons), index):
            pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()
    except BaseException as exc:  # the caller re-raises it
        pickle.dump(("failed", (exc, traceback.format_exc())), out)
        out.flush()


class DemoProcessError(FpdeskError, RuntimeError):
    """The second process failed in a way that could not be sent back (killed, say)."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            Text(
                f"生成演示数据的第二个进程意外退出：{detail}",
                f"The second process making the demo's rows ended unexpectedly: {detail}",
            )
        )


@contextlib.contextmanager
def from_second_process(
    seed: int, reference: dt.date, persons: int, index: str | Path
) -> Iterator[Iterator[Message]]:
    """The stream, made by a second process; it is ended if the reader stops early."""
    command = [
        sys.executable,
        "-c",
        "from fpdesk.demo.processes import second_process_main; second_process_main()",
        str(seed),
        reference.isoformat(),
        str(persons),
        str(index),
    ]
    # The same modules as here, even when this program runs from a source folder.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        env=env,
        creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
    )
    out = process.stdout
    assert out is not None

    finished = False

    def messages() -> Iterator[Message]:
        nonlocal finished
        while True:
            try:
                message = pickle.load(out)
            except EOFError:
                raise DemoProcessError(f"exit code {process.wait()}") from None
            if message[0] == "failed":
                exc, trace = message[1]
                if isinstance(exc, BaseException):
                    raise exc from DemoProcessError(trace)
                raise DemoProcessError(trace)
            if message[0] == "index":
                finished = True
            yield message
            if finished:
                return

    try:
        yield messages()
    finally:
        if not finished:  # the reader stopped early: nothing more is wanted
            process.kill()
        out.close()
        process.wait()


def frozen() -> bool:
    # In a frozen program (PyInstaller) sys.executable is the program itself, which
    # cannot run `-c`: the rows are made in this process.
    return bool(getattr(sys, "frozen", False)) or not sys.executable
