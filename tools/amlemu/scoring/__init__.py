"""Runs deployments' scoring code under the real Azure ML inference server.

`runtime.InferenceServerRuntime` is the `ScoringRuntime` the emulator uses when
deployments must really answer: one `azmlinfsrv` process per instance, and the
endpoint's data plane (auth, traffic, mirroring, limits) in front of them. The package
itself imports nothing, so that a module of it (the MLflow no-code scoring script,
the parent-death guard) does not load the runtime with it.
"""
