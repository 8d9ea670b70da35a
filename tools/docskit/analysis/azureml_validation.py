"""The Azure ML SDK's verdict on YAML files, obtained in a process of its own.

Importing `azure.ai.ml` takes over a second and each load some milliseconds, so
in a run with many articles to check (`background`) the first file to validate
starts a worker process (`serve`), and the run goes on checking articles while
the worker imports the SDK and loads file after file on the other core; a short
run validates in its own process. Requests go to the worker's stdin and answers
come back on its stdout, one JSON object a line; a thread drains the answers as
they come, and the worker reads its requests while the SDK imports, so neither
pipe can fill up and stall either side. Should the worker die, the file is
validated in this process instead, exactly as the worker would have.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def _flatten(value: Any, path: tuple[str, ...]) -> Iterable[tuple[tuple[str, ...], str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(item, path if key == "_schema" else (*path, str(key)))
    elif isinstance(value, list):
        if any(
            isinstance(v, (str, list)) and ("FileNotFoundError" in str(v) or "No such file" in str(v)) for v in value
        ):
            return  # a missing local file: the path rule reports it once, clearly
        if all(isinstance(v, str) for v in value):
            text = " ".join(" ".join(v.split()) for v in value)
            if text:
                yield path, text
        else:
            for item in value:
                yield from _flatten(item, path)
                break  # alternatives of a union field: the first one speaks for all
    elif isinstance(value, str) and value.strip():
        yield path, " ".join(value.split())


def sdk_messages(exc: BaseException) -> list[tuple[tuple[str, ...], str]]:
    """The field messages in an SDK validation error: its text embeds a JSON object after "failed:"."""
    text = (
        "\n".join(str(m) for m in getattr(exc, "messages", []))
        if isinstance(getattr(exc, "messages", None), list)
        else str(exc)
    )
    at = text.find("failed:")
    if at >= 0:
        body = text[at + len("failed:") :].lstrip()
        try:
            data, _ = json.JSONDecoder().raw_decode(body)
            found = list(_flatten(data, ()))
            if found:
                return found
        except ValueError:
            pass
    first = next((line.strip() for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
    return [((), first)]


def _is_file_message(message: str) -> bool:
    return "FileNotFoundError" in message or "No such file" in message


def _private_loader(name: str):
    """Loaders the SDK does not export (`load_model_batch_deployment`, …), from the module the CLI imports them from."""
    from azure.ai.ml.entities import _load_functions

    return getattr(_load_functions, name)


class _DropExperimentalNotices(logging.Filter):
    """The SDK's "This is an experimental class/method" notices: its package logger prints them at INFO."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "experimental" not in record.getMessage()


_EXPERIMENTAL_LOGGER = "azure.ai.ml._utils._experimental"


@contextmanager
def _sdk_quiet() -> Iterator[None]:
    """Around SDK calls: its experimental notices (a log record, or a warning) say nothing about the YAML."""
    logger = logging.getLogger(_EXPERIMENTAL_LOGGER)
    notices = _DropExperimentalNotices()
    logger.addFilter(notices)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*experimental.*")
            yield
    finally:
        logger.removeFilter(notices)


def validate(path: Path, loader: str) -> list[tuple[tuple[str, ...], str]]:
    """Load `path` with the SDK loader named `loader`; the SDK's field messages, file messages left out."""
    with _sdk_quiet():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import azure.ai.ml as aml  # heavy: only here

        logging.getLogger("azure").setLevel(logging.CRITICAL)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                load = getattr(aml, loader, None) or _private_loader(loader)
                load(source=str(path))
        except Exception as exc:  # noqa: BLE001 - the SDK raises marshmallow, its own and plain errors
            return [item for item in sdk_messages(exc) if not _is_file_message(item[1])]
    return []


def serve() -> None:
    """The worker: answer each request line of stdin with one line on stdout, in the order asked."""
    import queue

    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # whatever the SDK prints goes to stderr, never into the answers
    sys.stdout = sys.stderr
    requests: queue.Queue[str | None] = queue.Queue()

    def read() -> None:  # keep reading while the SDK imports, so the asking side never blocks on a full pipe
        for line in sys.stdin:
            requests.put(line)
        requests.put(None)

    threading.Thread(target=read, daemon=True).start()
    while (line := requests.get()) is not None:
        request = json.loads(line)
        found = validate(Path(request["path"]), request["loader"])
        answers.write(json.dumps({"key": request["key"], "found": [[list(p), m] for p, m in found]}) + "\n")
        answers.flush()


class AzureMLValidation:
    """SDK results by key (content digest, loader, SDK version, referenced files); asked in the background."""

    def __init__(self, stored: dict[str, list] | None = None) -> None:
        self.results: dict[str, list] = dict(stored or {})
        self.new = False  # results the stored ones lack
        self.background = False  # validate in a worker process (a run long enough to hide the SDK's import)
        self._process: subprocess.Popen | None = None
        self._reader: threading.Thread | None = None
        self._asked: dict[str, tuple[Path, str]] = {}
        self._sent: set[str] = set()
        self._answers: dict[str, list] = {}
        self._changed = threading.Condition()
        self._ended = False

    def request(self, key: str, path: Path, loader: str) -> None:
        """Have `path` validated: by the worker (started on the first request) when in the background."""
        if key in self.results or key in self._asked:
            return
        self._asked[key] = (path, loader)
        if not self.background:
            return  # `result` validates it, in this process
        if self._process is None and not self._ended:
            self._start()
        if self._process is None:
            return  # no worker could start: `result` validates here
        line = json.dumps({"key": key, "path": str(path), "loader": loader}) + "\n"
        try:
            self._process.stdin.write(line)
            self._process.stdin.flush()
            self._sent.add(key)
        except (OSError, ValueError):
            pass  # a dead worker: `result` validates here

    def result(self, key: str) -> list:
        """The messages for a requested `key`, waiting for the worker when it has not answered yet."""
        found = self.results.get(key)
        if found is not None:
            return found
        if key in self._sent:
            with self._changed:
                while key not in self._answers and not self._ended:
                    self._changed.wait()
                found = self._answers.get(key)
        if found is None:
            path, loader = self._asked[key]
            found = [[list(p), m] for p, m in validate(path, loader)]
        self.results[key] = found
        self.new = True
        return found

    def stored(self) -> dict[str, list]:
        return self.results

    def close(self) -> None:
        """Stop the worker: every answer asked for was collected, or will never be."""
        process = self._process
        if process is None:
            return
        self._process = None
        process.kill()  # an interpreter with the SDK loaded takes a quarter of a second to wind down
        process.wait()
        if self._reader is not None:
            self._reader.join()  # it reads to the end of the dead worker's output
        for stream in (process.stdin, process.stdout):
            try:
                stream.close()
            except OSError:
                pass

    def _start(self) -> None:
        command = [sys.executable, "-c", "from docskit.analysis.azureml_validation import serve; serve()"]
        try:
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                encoding="utf-8",
            )
        except OSError:
            self._ended = True
            return
        self._reader = threading.Thread(target=self._read, args=(self._process.stdout,), daemon=True)
        self._reader.start()

    def _read(self, stream) -> None:
        try:
            for line in stream:
                try:
                    answer = json.loads(line)
                except ValueError:
                    break
                with self._changed:
                    self._answers[answer["key"]] = answer["found"]
                    self._changed.notify_all()
        finally:
            with self._changed:
                self._ended = True
                self._changed.notify_all()
