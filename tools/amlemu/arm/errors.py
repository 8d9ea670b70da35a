"""ARM's error envelope: `{"error": {"code", "message", "details", "additionalInfo"}}`.

Handlers raise `ArmError`; the dispatcher turns it into the response, so no handler
formats an error body by hand.
"""

from __future__ import annotations

from typing import Any

from amlemu.http_messages import Response


class ArmError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        additional_info: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.additional_info = additional_info
        self.headers = headers or {}

    def envelope(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message, "details": []}
        if self.additional_info:
            error["additionalInfo"] = self.additional_info
        return {"error": error}

    def response(self) -> Response:
        headers = {"x-ms-failure-cause": "gateway" if self.status in (401, 404) else "service", **self.headers}
        return Response.json(self.status, self.envelope(), headers)


def resource_not_found(resource_type_path: str, resource_group: str) -> ArmError:
    """The gateway's 404 for a missing resource (wording seen in recorded responses)."""
    return ArmError(
        404,
        "ResourceNotFound",
        f"The Resource '{resource_type_path}' under resource group '{resource_group}' was not found. "
        "For more details please go to https://aka.ms/ARMResourceNotFoundFix",
    )
