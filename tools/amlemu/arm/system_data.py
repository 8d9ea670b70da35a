"""ARM's record of when a resource changed and by whom (`systemData`), and the timestamp format it and
the operation records use."""

from __future__ import annotations

import datetime
from typing import Any


def utc_now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def system_data(actor: str, created: dict[str, Any] | None = None) -> dict[str, Any]:
    now = utc_now()
    return {
        "createdAt": (created or {}).get("createdAt", now),
        "createdBy": (created or {}).get("createdBy", actor),
        "createdByType": (created or {}).get("createdByType", "Application"),
        "lastModifiedAt": now,
        "lastModifiedBy": actor,
        "lastModifiedByType": "Application",
    }
