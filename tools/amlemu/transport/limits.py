"""How much the transport reads, and how long it waits, before it refuses a request.

One value holds every limit, so the server, its tests and the documentation read
the same numbers. Each can be changed for one emulator through an environment
variable named after the field: `AMLEMU_` + the field name in capitals
(`AMLEMU_MAX_BODY_BYTES=1048576`, `AMLEMU_HEADER_TIMEOUT_S=5`).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

ENVIRONMENT_PREFIX = "AMLEMU_"


@dataclass(frozen=True)
class TransportLimits:
    # Sizes, in bytes unless named a count. Past them: 413, 414 or 431.
    max_body_bytes: int = 512 * 1024 * 1024  # one request body, Content-Length or chunked alike
    max_request_line_bytes: int = 64 * 1024  # method, target and version
    max_header_count: int = 100  # header fields of a request (trailers of a chunked body alike)
    max_header_bytes: int = 64 * 1024  # all header lines together
    # Waits, in seconds. Past them: 408 and the connection is closed.
    header_timeout_s: float = 20.0  # TLS handshake, then the whole head from its first byte
    body_idle_timeout_s: float = 20.0  # the longest silence while a body is arriving
    body_timeout_s: float = 600.0  # the whole body
    keepalive_timeout_s: float = 240.0  # an idle connection between requests is closed (no answer)
    send_timeout_s: float = 240.0  # writing one response to a client that does not read it

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> TransportLimits:
        """The defaults, with each `AMLEMU_<FIELD>` that holds a positive number applied.

        A value that is not a positive finite number is ignored with one line on stderr:
        a typo in a tuning knob should not stop the emulator.
        """
        limits = cls()
        for spec in fields(cls):
            name = ENVIRONMENT_PREFIX + spec.name.upper()
            text = environ.get(name)
            if text is None:
                continue
            kind = int if isinstance(getattr(limits, spec.name), int) else float
            try:
                value = kind(text)
            except ValueError:
                value = 0
            if not (value > 0 and math.isfinite(value)):
                print(
                    f"amlemu: ignoring {name}={text!r}: expected a positive {kind.__name__}; "
                    f"using {getattr(limits, spec.name)}",
                    file=sys.stderr,
                )
                continue
            limits = replace(limits, **{spec.name: value})
        return limits
