"""The service rules of managed online endpoints and deployments.

Each rule is one function that raises `ArmError` with the HTTP status and error code the
service uses. Where Azure's wording is public it is used verbatim; where it is not, the
message is one sentence naming the rule and the function is marked `# wording: ours`.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from amlemu.arm.errors import ArmError

NAME_PATTERN = re.compile(r"^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$")
MAX_MIRROR_PERCENT = 50


def _expand(template: str, sizes: str) -> list[str]:
    return [template.format(size) for size in sizes.split()]


# Managed online endpoint SKUs, from the published VM SKU list (matched case-insensitively).
MANAGED_SKUS: frozenset[str] = frozenset(
    sku.lower()
    for sku in [
        *_expand("Standard_D{}as_v4", "2 4 8 16 32 48 64 96"),
        *_expand("Standard_D{}a_v4", "2 4 8 16 32 48 64 96"),
        *_expand("Standard_DS{}_v2", "1 2 3 4 5"),
        *_expand("Standard_E{}s_v3", "2 4 8 16 32 48 64"),
        *_expand("Standard_F{}s_v2", "2 4 8 16 32 48 64 72"),
        *_expand("Standard_FX{}mds", "4 12 24 36 48"),
        *_expand("Standard_L{}as_v3", "8 16 32 48 64 80"),
        *_expand("Standard_L{}s_v2", "8 16 32 48 64 80"),
        *_expand("Standard_L{}s_v3", "8 16 32 48 64 80"),
        *_expand("Standard_NC{}ads_A100_v4", "24 48 96"),
        *_expand("Standard_NC{}as_T4_v3", "4 8 16 64"),
        *_expand("Standard_NC{}s_v2", "6 12 24"),
        *_expand("Standard_NC{}s_v3", "6 12 24"),
        "Standard_NC40ads_H100_v5",
        "Standard_NC80adis_H100_v5",
        "Standard_ND96amsr_A100_v4",
        "Standard_ND96asr_v4",
        "Standard_ND40rs_v2",
        "Standard_ND96is_H100_v5",
        "Standard_ND96isr_H100_v5",
        *_expand("Standard_NV{}ads_A10_v5", "6 12 18 36"),
        "Standard_NV36adms_A10_v5",
        "Standard_NV72ads_A10_v5",
    ]
)


def check_name(kind: str, name: str) -> None:
    """Endpoint and deployment names: 3 to 32 characters, a letter first, letters, digits and '-'."""
    if not 3 <= len(name) <= 32:
        # wording: the SDK's own client-side message, which the service mirrors
        raise ArmError(
            400,
            "BadArgument",
            f"The name for {kind} must be at least 3 and at most 32 characters long (inclusive of both limits).",
        )
    if not NAME_PATTERN.match(name):
        raise ArmError(
            400,
            "BadArgument",
            f"The name for {kind} must start with an upper- or lowercase letter "
            "and only consist of '-'s and alphanumeric characters.",
        )


def check_endpoint_name_free_in_region(name: str, region: str, taken_by: str | None) -> None:
    """Scoring host names are `<name>.<region>.inference.ml.azure.com`, so names are unique per region."""
    if taken_by is not None:
        raise ArmError(
            409,
            "UserError",
            "There is already an endpoint with this name, Endpoint name needs to be unique within a region",
        )


def check_auth_mode(value: Any) -> str:
    allowed = {"key": "Key", "amltoken": "AMLToken", "aadtoken": "AADToken"}
    if not isinstance(value, str) or value.lower() not in allowed:
        # wording: ours
        raise ArmError(
            400, "BadArgument", f"authMode must be one of Key, AMLToken or AADToken; '{value}' is not supported."
        )
    return allowed[value.lower()]


def _percentages(field: str, values: Any) -> dict[str, int]:
    if values is None:
        return {}
    if not isinstance(values, Mapping):
        raise ArmError(400, "BadArgument", f"{field} must be an object mapping deployment names to percentages.")
    checked: dict[str, int] = {}
    for name, value in values.items():
        # ARM's JSON reader turns an integer written as a string ("10") into the int32 the
        # contract declares; the CLI sends --traffic/--mirror-traffic values that way.
        if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            # wording: ours
            raise ArmError(
                400, "BadArgument", f"{field} value for deployment '{name}' must be an integer; got {value!r}."
            )
        if not 0 <= value <= 100:
            # wording: ours
            raise ArmError(
                400, "BadArgument", f"{field} value for deployment '{name}' must be between 0 and 100; got {value}."
            )
        checked[name] = value
    return checked


def _deployment_missing(name: str, endpoint: str, workspace: str) -> ArmError:
    # wording: seen in a real traffic update (404 UserError with MessageParameters)
    return ArmError(
        404,
        "UserError",
        f"Deployment {name} not found in endpoint {endpoint}, workspace {workspace}",
        additional_info=[
            {
                "type": "MessageParameters",
                "info": {"value": {"deploymentName": name, "endpointName": endpoint, "workspaceName": workspace}},
            }
        ],
    )


def check_traffic(
    traffic: Any, mirror: Any, deployments: set[str], endpoint: str, workspace: str
) -> tuple[dict[str, int], dict[str, int]]:
    """Live traffic sums to 0 or 100; mirror traffic names one deployment, at most 50 %,
    never one with live traffic; both name existing deployments only."""
    live = _percentages("traffic", traffic)
    mirrored = _percentages("mirrorTraffic", mirror)
    known = {name.lower() for name in deployments}
    for name in [*live, *mirrored]:
        if name.lower() not in known:
            raise _deployment_missing(name, endpoint, workspace)
    total = sum(live.values())
    if total not in (0, 100):
        # wording: ours
        raise ArmError(400, "BadArgument", f"Traffic values must sum to 0 or 100; they sum to {total}.")
    mirrored = {name: value for name, value in mirrored.items() if value != 0}
    if len(mirrored) > 1:
        # wording: ours
        raise ArmError(400, "BadArgument", "Mirror traffic can be set for one deployment only.")
    for name, value in mirrored.items():
        if value > MAX_MIRROR_PERCENT:
            # wording: ours
            raise ArmError(
                400,
                "BadArgument",
                f"Mirror traffic for deployment '{name}' is {value}%; it can be at most {MAX_MIRROR_PERCENT}%.",
            )
        if live.get(name, 0) > 0:
            # wording: ours
            raise ArmError(
                400, "BadArgument", f"Deployment '{name}' receives live traffic and cannot also receive mirror traffic."
            )
    return live, mirrored


def check_instance_type(instance_type: Any) -> None:
    if not isinstance(instance_type, str) or instance_type.lower() not in MANAGED_SKUS:
        # wording: ours
        raise ArmError(
            400,
            "BadArgument",
            f"Instance type '{instance_type}' is not supported for managed online deployments. "
            "See https://learn.microsoft.com/azure/machine-learning/reference-managed-online-endpoints-vm-sku-list.",
        )


@dataclass(frozen=True)
class Limits:
    """The service limits the emulator enforces, with Azure's defaults.

    `max_instances_per_deployment`: 50 for managed online endpoints; `upgrade_reserve`: Azure
    reserves 20 % extra cores for upgrades, so 10 instances need quota for 12
    (MicrosoftDocs/azure-ai-docs, articles/machine-learning/how-to-manage-quotas.md).
    `core_quota`: the vCPUs all managed deployments of a subscription may hold; Azure's default
    depends on the subscription's offer and VM family, so this default is ours.
    Both numbers can be set with AMLEMU_MAX_INSTANCES_PER_DEPLOYMENT and AMLEMU_CORE_QUOTA.
    """

    max_instances_per_deployment: int = 50
    core_quota: int = 1000
    upgrade_reserve: float = 0.2

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> Limits:
        def number(name: str, default: int) -> int:
            text = environ.get(name, "").strip()
            if not text:
                return default
            if not text.isdigit() or not 0 < int(text) < 10**9:
                raise ValueError(f"{name} must be a positive whole number; got '{text}'")
            return int(text)

        return cls(
            number("AMLEMU_MAX_INSTANCES_PER_DEPLOYMENT", cls.max_instances_per_deployment),
            number("AMLEMU_CORE_QUOTA", cls.core_quota),
        )


def check_instance_count(capacity: Any, limits: Limits | None = None) -> int:
    """At least 1 instance, at most the per-deployment limit."""
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1:
        # wording: ours
        raise ArmError(400, "BadArgument", f"Instance count must be an integer of at least 1; got {capacity!r}.")
    limit = (limits or Limits()).max_instances_per_deployment
    if capacity > limit:
        # wording: ours; the code is the one Azure uses for every quota and limit of online endpoints
        raise ArmError(
            400,
            "OutOfQuota",
            f"Instance count {capacity} is over the limit of {limit} instances per deployment. "
            "Please see troubleshooting guide, available here: https://aka.ms/oe-tsg#error-outofquota",
        )
    return capacity


def vcpus(instance_type: str) -> int:
    """The cores of a managed SKU: the number in its name (Standard_F4s_v2: 4), except the DSv2 sizes."""
    name = instance_type.lower()
    dsv2 = re.fullmatch(r"standard_ds([1-5])_v2", name)
    if dsv2:
        return {1: 1, 2: 2, 3: 4, 4: 8, 5: 16}[int(dsv2.group(1))]
    number = re.search(r"\d+", name.split("_", 1)[-1])
    return int(number.group()) if number else 1


def reserved_cores(instance_type: str, capacity: int, limits: Limits) -> int:
    return math.ceil(vcpus(instance_type) * capacity * (1 + limits.upgrade_reserve))


def check_core_quota(
    subscription: str, instance_type: str, capacity: int, others: Iterable[tuple[str, int]], limits: Limits
) -> None:
    """The cores the deployment needs (with the upgrade reserve) must fit beside the other deployments'."""
    usage = sum(reserved_cores(sku, count, limits) for sku, count in others)
    needed = reserved_cores(instance_type, capacity, limits)
    if usage + needed > limits.core_quota:
        # wording: a recorded OutOfQuota failure of the service
        raise ArmError(
            400,
            "OutOfQuota",
            f"Not enough quota available for {instance_type} in SubscriptionId {subscription}. "
            f"Current usage/limit: {usage}/{limits.core_quota}. Additional needed: {needed} "
            "Please see troubleshooting guide, available here: https://aka.ms/oe-tsg#error-outofquota",
        )


def check_scale_settings(scale_settings: Any) -> None:
    scale_type = scale_settings.get("scaleType") if isinstance(scale_settings, Mapping) else None
    if scale_settings is not None and scale_type != "Default":
        # wording: the SDK's message for the same rule
        raise ArmError(400, "BadArgument", "ManagedOnlineEndpoint supports DefaultScaleSettings only.")


def check_no_live_traffic(deployment: str, traffic: Mapping[str, int]) -> None:
    share = next((value for name, value in traffic.items() if name.lower() == deployment.lower()), 0)
    if share > 0:
        # wording: ours
        raise ArmError(
            400,
            "BadArgument",
            f"Deployment '{deployment}' still receives {share}% of the endpoint's traffic; "
            "set its traffic to 0 before deleting it.",
        )


def operation_in_progress(kind: str, name: str) -> ArmError:
    # wording: ours
    return ArmError(
        409, "Conflict", f"Another operation is in progress on {kind} '{name}'; wait for it to finish and try again."
    )
