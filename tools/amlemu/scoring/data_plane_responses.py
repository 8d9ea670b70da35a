"""The answers the endpoint's front door gives on its own, shaped as Azure gives them.

Status codes and the 424 headers follow Azure's published table of data-plane
codes. Azure's exact message texts are not public; every message below is ours,
one sentence naming the rule.
"""

from __future__ import annotations

from amlemu.http_messages import Response


def unauthorized(endpoint: str) -> Response:
    # Message: ours.
    return Response.json(
        401,
        {
            "message": f"Authentication failed for endpoint '{endpoint}': send 'Authorization: Bearer <key or token>' with a valid key or token."
        },
        {"WWW-Authenticate": "Bearer"},
    )


def no_deployment_with_traffic(endpoint: str) -> Response:
    # Message: ours (Azure documents the rule: 404 when no deployment has positive weight).
    return Response.json(
        404,
        {
            "message": f"Endpoint '{endpoint}' has no deployment with positive traffic; give one traffic or name a deployment in the 'azureml-model-deployment' header."
        },
    )


def unknown_deployment(endpoint: str, deployment: str) -> Response:
    # Message: ours.
    return Response.json(404, {"message": f"Deployment '{deployment}' was not found in endpoint '{endpoint}'."})


def deployment_not_running(endpoint: str, deployment: str) -> Response:
    # Message: ours. The deployment exists in the routing but has no ready instance.
    return Response.json(
        503, {"message": f"Deployment '{deployment}' of endpoint '{endpoint}' has no running instance."}
    )


def too_many_requests(deployment: str, limit: int) -> Response:
    # Message: ours; the rule (2 x max_concurrent_requests_per_instance x instance_count) is Azure's.
    return Response.json(
        429,
        {
            "message": f"Too many pending requests for deployment '{deployment}': at most {limit} requests are processed at once (2 x max_concurrent_requests_per_instance x instance_count)."
        },
    )


def request_timeout(deployment: str, timeout_ms: int) -> Response:
    # Message: ours; the rule (request_timeout_ms exceeded gives 408) is Azure's.
    return Response.json(
        408,
        {"message": f"Deployment '{deployment}' did not answer within request_timeout_ms ({timeout_ms} ms)."},
    )


def model_error_headers(upstream_status: int, reason: str) -> dict[str, str]:
    """The headers Azure documents on a 424: the container's status and a reason."""
    return {"ms-azureml-model-error-statuscode": str(upstream_status), "ms-azureml-model-error-reason": reason}


def container_unreachable(deployment: str, detail: str) -> Response:
    # Message and reason value: ours. Azure answers 424 when the container fails its probes.
    return Response.json(
        424,
        {"message": f"The scoring container of deployment '{deployment}' could not be reached: {detail}"},
        model_error_headers(502, "model_container_unreachable"),
    )
