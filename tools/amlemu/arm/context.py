"""What every ARM handler receives: the request, the path parameters, and the emulator's
services (`services.py`). Also the per-request view of URLs, because the same stored endpoint must
show `https://<name>.<region>.inference.ml.azure.com/score` to a client that came through
the proxy and a loopback URL to a client in direct mode."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from amlemu.arm import request_body
from amlemu.arm.errors import ArmError, resource_not_found
from amlemu.arm.services import Services
from amlemu.http_messages import Request
from amlemu.store.resources import Resource

LOOPBACK_HOSTS = ("127.0.0.1", "localhost")


@dataclass(frozen=True)
class Urls:
    """Base URLs as the calling client can reach them."""

    direct: bool
    port: int
    region: str

    @property
    def arm(self) -> str:
        return f"https://127.0.0.1:{self.port}" if self.direct else "https://management.azure.com"

    def blob_account(self, account: str) -> str:
        return f"https://127.0.0.1:{self.port}/{account}" if self.direct else f"https://{account}.blob.core.windows.net"

    def scoring_base(self, endpoint: str) -> str:
        host = f"{endpoint}.{self.region}.inference.ml.azure.com"
        return f"https://127.0.0.1:{self.port}/inference/{host}" if self.direct else f"https://{host}"

    def datastore_account_name(self, account: str) -> str:
        """In direct mode the SDK builds `https://{accountName}.blob.{suffix}`; a '#' turns the suffix
        into a URL fragment so the upload lands on the loopback port, path-style."""
        return f"127.0.0.1:{self.port}/{account}#" if self.direct else account


@dataclass
class Call:
    services: Services
    request: Request
    params: dict[str, str]
    api_version: str
    urls: Urls

    def body(self) -> dict[str, Any]:
        """The JSON body as the operation's published definition reads it (arm/request_body.py);
        ARM's 400 `InvalidRequestContent` when it is not standard JSON, not an object, or not
        what the definition describes."""
        payload = request_body.contracts().read(self.request)
        if payload is None:
            return {}
        if not isinstance(payload, dict):
            raise ArmError(
                400,
                "InvalidRequestContent",
                "The request content was invalid and could not be deserialized: 'the body must be a JSON object'.",
            )
        return payload

    def properties(self, body: dict[str, Any], error_code: str = "BadArgument") -> dict[str, Any]:
        """The `properties` object every ARM resource body carries; a 400 when it is missing."""
        properties = body.get("properties")
        if not isinstance(properties, dict):
            raise ArmError(400, error_code, "The request body must carry a 'properties' object.")
        return properties

    def query_flag(self, name: str) -> bool:
        return self.request.query.get(name, "").lower() == "true"

    @property
    def workspace_id(self) -> str:
        p = self.params
        return (
            f"/subscriptions/{p['sub']}/resourceGroups/{p['rg']}"
            f"/providers/Microsoft.MachineLearningServices/workspaces/{p['ws']}"
        )


def check_subscription(call: Call) -> None:
    """The path's subscription is the emulator's one."""
    if call.params["sub"].lower() != call.services.identity.subscription_id.lower():
        raise ArmError(404, "SubscriptionNotFound", f"The subscription '{call.params['sub']}' could not be found.")


def require_workspace(call: Call) -> Resource:
    """Every workspace-scoped route starts here: the subscription is the emulator's, the workspace exists."""
    check_subscription(call)
    workspace = call.services.store.get(call.workspace_id)
    if workspace is None:
        raise resource_not_found(f"Microsoft.MachineLearningServices/workspaces/{call.params['ws']}", call.params["rg"])
    return workspace


def paged(call: Call, items: list[dict]) -> dict[str, Any]:
    """ARM's paginated list: `count` items from `$skipToken` on, and a `nextLink` when more remain."""
    query = call.request.query
    try:
        skip = max(int(query.get("$skipToken") or 0), 0)
    except ValueError:
        raise ArmError(
            400, "BadArgument", f"'{query.get('$skipToken')}' is not a skip token this service issued."
        ) from None
    try:
        count = max(int(query.get("count") or 100), 1)
    except ValueError:
        raise ArmError(400, "BadArgument", f"count must be an integer; got '{query.get('count')}'.") from None
    result: dict[str, Any] = {"value": items[skip : skip + count]}
    if skip + count < len(items):
        from urllib.parse import urlencode

        following = {**query, "$skipToken": str(skip + count)}
        result["nextLink"] = f"{call.urls.arm}{call.request.path}?{urlencode(following)}"
    return result


def clone(value: Any) -> Any:
    return json.loads(json.dumps(value))
