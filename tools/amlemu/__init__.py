"""Emulated Azure ML workspace: what Azurite is to Azure Storage, for Azure ML online endpoints.

Where things live:

    transport/server.py     one loopback port: TLS for direct clients, CONNECT + TLS for proxy clients
    emulator.py             the application: routes a Request by host to the parts below
    arm/                    ARM resources, one module per family; routes.py names each path's handler, router.py
                            finds it; what handlers get: context.py (the call), services.py (stores, operations,
                            runtime); operations (LRO), errors
    rules.py                the service rules with their status codes, error codes and messages
    identity.py             the Entra token endpoint and the bearer-token check
    blob.py                 the Blob subset the SDK's uploads use
    store/                  SQLite for resources and operations, files for blobs
    materialize.py          deployment references -> code and model folders for the scoring runtime
    certs.py, state.py      the per-folder CA and workspace identity
    client_env.py, cli.py   the environment a client needs; `amlemu serve | env | run`
    testing.py              `running_emulator(...)` and the `amlemu_emulator` pytest fixture
    scoring_contract.py     the seam to the scoring runtime (`amlemu.scoring`)
"""
