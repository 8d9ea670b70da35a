"""Azure Resource Manager surface of the workspace: one module per resource family,
`router.py` to find the handler, `context.py` for what every handler receives."""
