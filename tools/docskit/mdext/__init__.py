"""Python-Markdown extensions that render Learn syntax (`:::code`, `[!INCLUDE]`, tabs, review marks).

They are Markdown extensions rather than an MkDocs plugin so that the same
`markdown_extensions:` entry works under MkDocs, under Zensical (which ignores
plugins it does not know) and in a bare `markdown.Markdown()` call. Register
`docskit.mdext.learn`; it wires the others.
"""
