"""Drive a real terminal program in a pseudo-terminal and read its screen like a person would.

The screen is rebuilt by pyte from the bytes the program writes, so "drawn" means the text is
really on the emulated screen, not merely somewhere in the output stream.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Callable, Sequence

import pyte
from wcwidth import wcwidth


def _take_terminal() -> None:  # runs in the child after setsid(): stdin is the pty
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class PtyApp:
    def __init__(
        self,
        argv: Sequence[str],
        cols: int = 120,
        rows: int = 40,
        env: dict[str, str] | None = None,
        cwd: str | None = None,
        controlling_terminal: bool = False,
    ) -> None:
        """With `controlling_terminal` the pty becomes the program's controlling terminal, so
        closing it makes the kernel send SIGHUP, as when a terminal window is closed."""
        self.started = time.perf_counter()
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        full_env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(cols),
                    "LINES": str(rows), **(env or {})}  # fmt: skip
        self.process = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=full_env,
            cwd=cwd,
            start_new_session=True,
            preexec_fn=_take_terminal if controlling_terminal else None,
        )
        os.close(slave)
        self.master = master
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()  # everything the program wrote, for injection checks

    def text(self) -> str:
        try:
            return "\n".join(self.screen.display)
        except IndexError:  # pyte left the stub of an overwritten wide character
            return "\n".join(self._lines())

    def _lines(self) -> list[str]:
        """pyte's `Screen.display`, with an orphaned wide-character stub ("") as a blank: a
        wide character whose left half was overwritten is gone on a real terminal too."""
        screen, out = self.screen, []
        for y in range(screen.lines):
            line, cells, skip = screen.buffer[y], [], False
            for x in range(screen.columns):
                if skip:
                    skip = False
                    continue
                char = line[x].data
                if not char:
                    cells.append(" ")
                    continue
                skip = wcwidth(char[0]) == 2
                cells.append(char)
            out.append("".join(cells))
        return out

    def pump(self, timeout: float) -> bool:
        """Read what is available within `timeout`; False if nothing came."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:
            return False
        if not data:
            return False
        self.raw += data
        self.stream.feed(data)
        return True

    def wait_until(self, predicate: Callable[[str], bool], timeout: float = 30.0) -> float:
        """Seconds until `predicate(screen text)` holds (raises TimeoutError)."""
        start = time.perf_counter()
        deadline = start + timeout
        while True:
            if predicate(self.text()):
                return time.perf_counter() - start
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(f"screen never matched; last screen:\n{self.text()}")
            self.pump(min(remaining, 0.05))
            # Drain everything already written before testing the screen again.
            while self.pump(0):
                pass

    def wait_for(self, text: str, timeout: float = 30.0) -> float:
        return self.wait_until(lambda screen: text in screen, timeout)

    def wait_exit(self, timeout: float = 15.0) -> int:
        """Wait for the program to end, reading its output meanwhile (a full pty blocks it)."""
        deadline = time.perf_counter() + timeout
        while self.process.poll() is None:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"still running; last screen:\n{self.text()}")
            self.pump(0.05)
        while self.pump(0):
            pass
        return self.process.returncode

    def send(self, data: str | bytes) -> None:
        os.write(self.master, data.encode() if isinstance(data, str) else data)

    def peak_rss_kib(self) -> int | None:
        try:
            with open(f"/proc/{self.process.pid}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait(timeout=10)
        os.close(self.master)
