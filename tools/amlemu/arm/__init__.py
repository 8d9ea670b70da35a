"""Azure Resource Manager surface of the workspace: one module per resource family,
`routes.py` naming the handler of each path, `router.py` to find it, `context.py` for what every
handler receives, `services.py` for the parts of the emulator it may use."""
