"""A local chain: anvil (npm ``@foundry-rs/anvil-linux-amd64``) on 127.0.0.1 and a free port.

Three ways to run one:

* :class:`AnvilNode` as a context manager (tests, benchmarks): started, used, stopped.
* :func:`start_anvil` with ``detach=True`` (``zksolvency contracts deploy --chain local``):
  the node outlives the command, in its own session, its output in a log file;
  the deployment records its pid and URL, and :func:`stop_anvil` ends it.
* :func:`run_anvil_foreground` (``zksolvency contracts anvil``): until Ctrl-C.

anvil never sees a private key: transactions are signed in Python. Its state
is in memory unless ``state`` names a file (anvil's ``--state``: loaded on
start, written on exit), so contracts on a local chain vanish with the node.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType

from zksolvency import toolchain
from zksolvency.chain.errors import ChainError

HOST = "127.0.0.1"
#: Chain id anvil uses by default.
ANVIL_CHAIN_ID = 31337
#: How long to wait for the node to answer JSON-RPC, in seconds.
START_TIMEOUT = 15.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def rpc_request(url: str, method: str, params: list[object] | None = None, timeout: float = 5.0) -> object:
    """One JSON-RPC call with the standard library (used before web3 is worth setting up)."""
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or []}).encode()
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        answer = json.loads(resp.read())
    if "error" in answer:
        raise ChainError(f"{url}: {method} failed: {answer['error']}")
    return answer.get("result")


def anvil_command(
    port: int, state: Path | None = None, quiet: bool = True, chain_id: int | None = None
) -> list[str]:
    cmd = [str(toolchain.anvil_path()), "--host", HOST, "--port", str(port)]
    if quiet:
        cmd.append("--quiet")
    if state is not None:
        cmd += ["--state", str(state)]
    if chain_id is not None:
        cmd += ["--chain-id", str(chain_id)]
    return cmd


class AnvilNode:
    """A running anvil process and its URL; a context manager that stops it on exit."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, log: Path | None) -> None:
        self.process = process
        self.port = port
        self.log = log

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self, timeout: float = 5.0) -> None:
        """Terminate the node (SIGTERM, then SIGKILL after ``timeout`` seconds)."""
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout)

    def __enter__(self) -> AnvilNode:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def _wait_ready(process: subprocess.Popen[bytes], url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise ChainError(f"anvil exited with status {process.returncode} before answering on {url}")
        with contextlib.suppress(OSError, urllib.error.URLError, ValueError):
            rpc_request(url, "eth_chainId", timeout=1.0)
            return
        if time.monotonic() > deadline:
            process.kill()
            raise ChainError(f"anvil did not answer on {url} within {timeout:g} s")
        time.sleep(0.05)


def start_anvil(
    *,
    detach: bool = False,
    log: Path | None = None,
    state: Path | None = None,
    timeout: float = START_TIMEOUT,
    attempts: int = 3,
    chain_id: int | None = None,
) -> AnvilNode:
    """Start anvil on a free port and wait until it answers.

    ``detach``: run it in a new session so that it outlives this process (and
    ignores the terminal's Ctrl-C). Its output goes to ``log`` (appended), or
    nowhere. A port taken between choosing and binding it is retried.
    ``chain_id``: another chain id than anvil's default :data:`ANVIL_CHAIN_ID`
    (such a node is not treated as a local development chain, see ``chain.setup_guard``).
    """
    last: ChainError | None = None
    for _ in range(attempts):
        port = free_port()
        out = open(log, "ab") if log is not None else subprocess.DEVNULL  # noqa: SIM115 - handed to the child
        try:
            process = subprocess.Popen(
                anvil_command(port, state, chain_id=chain_id),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=detach,
            )
        except OSError as exc:
            raise ChainError(
                f"cannot start anvil: {exc.strerror}; run `{toolchain.INSTALL_COMMAND}`"
            ) from None
        finally:
            if log is not None and not isinstance(out, int):
                out.close()
        node = AnvilNode(process, port, log)
        try:
            _wait_ready(process, node.url, timeout)
            return node
        except ChainError as exc:
            last = exc
            node.stop()
    raise last if last is not None else ChainError("anvil did not start")


def run_anvil_foreground(port: int | None = None, state: Path | None = None) -> int:
    """Run anvil with its own output on this terminal until it exits or Ctrl-C; its exit status."""
    cmd = anvil_command(port if port is not None else free_port(), state, quiet=False)
    process = subprocess.Popen(cmd)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.send_signal(signal.SIGINT)
        return process.wait()


def is_anvil_process(pid: int) -> bool:
    """Whether ``pid`` is a running process whose program is anvil (Linux ``/proc``)."""
    try:
        argv0 = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0", 1)[0]
    except OSError:
        return False
    return Path(os.fsdecode(argv0)).name == "anvil"


def stop_anvil(pid: int, grace: float = 5.0) -> bool:
    """Stop ``pid`` if it is an anvil process and wait until it is gone; ``False`` when there was none.

    SIGTERM first; SIGKILL if it is still running after ``grace`` seconds. Returning only
    once the process has exited means a second stop right after reports "already stopped".
    """
    if not is_anvil_process(pid):
        return False
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, grace)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return True
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not is_anvil_process(pid):
                return True
            time.sleep(0.02)
    return True
