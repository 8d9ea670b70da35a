"""Which deployment answers a scoring request: the endpoint's auth and traffic rules.

Pure decisions over an `EndpointRouting` and a request; nothing here talks to a
process, so the rules can be read (and tested) on their own.
"""

from __future__ import annotations

import hmac
import random
from dataclasses import dataclass

from amlemu.http_messages import Request
from amlemu.identity import issued_token_expired
from amlemu.scoring_contract import EndpointRouting

DEPLOYMENT_HEADER = "azureml-model-deployment"


def is_authorized(routing: EndpointRouting, request: Request) -> bool:
    """True when `Authorization: Bearer <x>` carries a credential of this endpoint's auth mode:
    one of its two keys for key auth, one of the unexpired tokens issued for it for AMLToken.
    A token issued for another endpoint, or for ARM, is none of these."""
    scheme, _, credential = (request.header("authorization") or "").strip().partition(" ")
    credential = credential.strip()
    if scheme.lower() != "bearer" or not credential:
        return False
    keys, tokens = routing.keys[:2], routing.keys[2:]
    if routing.auth_mode == "key":
        accepted = keys
    elif routing.auth_mode == "aml_token":
        accepted = tuple(token for token in tokens if not issued_token_expired(token))
    else:
        accepted = routing.keys
    offered = credential.encode("utf-8")
    # Compare against every key so the time taken does not tell which one nearly matched.
    matches = [hmac.compare_digest(offered, key.encode("utf-8")) for key in accepted if key]
    return any(matches)


@dataclass(frozen=True)
class Target:
    deployment: str
    targeted: bool  # named by the caller's header, so never mirrored


def requested_deployment(routing: EndpointRouting, request: Request, known: set[str]) -> str | None:
    """The deployment named by the caller's header, matched as the service does (case-insensitively)."""
    wanted = (request.header(DEPLOYMENT_HEADER) or "").strip()
    if not wanted:
        return None
    candidates = known | set(routing.traffic) | set(routing.mirror_traffic)
    if wanted in candidates:
        return wanted
    for name in candidates:
        if name.lower() == wanted.lower():
            return name
    return wanted


def pick_by_traffic(routing: EndpointRouting, rng: random.Random) -> str | None:
    """A weighted random choice among deployments with positive traffic; None when there is none."""
    names = [name for name, weight in routing.traffic.items() if weight > 0]
    if not names:
        return None
    if len(names) == 1:
        return names[0]
    return rng.choices(names, weights=[routing.traffic[name] for name in names])[0]


def mirror_for(routing: EndpointRouting, rng: random.Random) -> str | None:
    """The deployment that also gets a copy of this un-targeted request, if the dice say so."""
    for name, percent in routing.mirror_traffic.items():
        if percent > 0 and rng.random() * 100 < percent:
            return name
    return None
