"""The permission each Blob operation needs from a shared access signature.

Letters are those of the `sp` field (r read, a add, c create, w write, d delete, l list);
a SAS grants an operation when it holds any one of the letters listed for it. The
resource type is the `srt` letter an account SAS needs (s service, c container, o object).
"""

from __future__ import annotations

from dataclasses import dataclass

from amlemu.http_messages import Request


@dataclass(frozen=True)
class Operation:
    permissions: str  # any one of these letters grants the operation
    resource_type: str  # "c" for a container operation, "o" for a blob operation
    container: str
    blob: str  # "" for a container operation

    @property
    def needs_account_sas(self) -> bool:
        """Creating or deleting a container is beyond a service SAS, as in Azure."""
        return self.resource_type == "c" and self.permissions in ("cw", "d")


def operation_of(request: Request, container: str, blob: str) -> Operation:
    method, query = request.method, request.query
    if not blob:
        if method == "PUT" and query.get("restype") == "container" and "comp" not in query:
            needed = "cw"
        elif method == "DELETE":
            needed = "d"
        elif query.get("comp") == "list":
            needed = "l"
        elif method in ("GET", "HEAD"):
            needed = "r"
        else:
            needed = "w"
        return Operation(needed, "c", container, "")
    if method in ("GET", "HEAD"):
        needed = "r"
    elif method == "DELETE":
        needed = "d"
    elif method == "PUT" and query.get("comp") in (None, "block", "blocklist"):
        needed = "cw"  # writes content: a new blob with create, any blob with write
    else:
        needed = "w"  # metadata, properties and the rest change an existing blob
    return Operation(needed, "o", container, blob)
