"""Runs deployments' scoring code under the real Azure ML inference server.

`InferenceServerRuntime` is the `ScoringRuntime` the emulator uses when deployments
must really answer: one `azmlinfsrv` process per instance, and the endpoint's data
plane (auth, traffic, mirroring, limits) in front of them.
"""

from amlemu.scoring.runtime import InferenceServerRuntime

__all__ = ["InferenceServerRuntime"]
