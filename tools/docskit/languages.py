"""Learn's code languages and the Pygments lexer that highlights each.

One table serves the linter (is `language="…"` a Learn language?) and the site
(which lexer renders it). Learn's names that Pygments does not know, such as
`azurecli`, map to the closest lexer. The names are those of Learn's list of
supported code languages (the "REST API" entry is written `rest` and, throughout
Azure's docs, `rest-api`; both render).
"""

from __future__ import annotations

LEARN_LANGUAGES: dict[str, str] = {
    "aspx": "aspx-cs",
    "aspx-csharp": "aspx-cs",
    "aspx-vb": "aspx-vb",
    "azcopy": "bash",
    "azurecli": "bash",
    "azurecli-interactive": "bash",
    "azurepowershell": "powershell",
    "azurepowershell-interactive": "powershell",
    "bash": "bash",
    "bicep": "text",
    "c": "c",
    "cmd": "batch",
    "batchfile": "batch",
    "console": "console",
    "cpp": "cpp",
    "csharp": "csharp",
    "csharp-interactive": "csharp",
    "cshtml": "html",
    "css": "css",
    "dax": "text",
    "docker": "docker",
    "dockerfile": "docker",
    "dotnetcli": "bash",
    "fsharp": "fsharp",
    "go": "go",
    "gradle": "groovy",
    "groovy": "groovy",
    "hcl": "terraform",
    "html": "html",
    "http": "http",
    "ini": "ini",
    "java": "java",
    "javascript": "javascript",
    "json": "json",
    "jsonc": "json",
    "kotlin": "kotlin",
    "kusto": "text",
    "markdown": "markdown",
    "md": "markdown",
    "nodejs": "javascript",
    "objc": "objective-c",
    "objectivec": "objective-c",
    "output": "text",
    "perl": "perl",
    "php": "php",
    "powershell": "powershell",
    "properties": "properties",
    "protobuf": "protobuf",
    "python": "python",
    "r": "r",
    "razor": "html",
    "rest": "http",
    "rest-api": "http",
    "powershell-interactive": "powershell",
    "msgraph-interactive": "http",
    "odata": "text",
    "tsql": "tsql",
    "diff": "diff",
    "makefile": "make",
    "ruby": "ruby",
    "rust": "rust",
    "scala": "scala",
    "shell": "bash",
    "sh": "bash",
    "sql": "sql",
    "swift": "swift",
    "terraform": "terraform",
    "text": "text",
    "toml": "toml",
    "ts": "typescript",
    "tsx": "tsx",
    "typescript": "typescript",
    "vb": "vbnet",
    "vbnet": "vbnet",
    "xaml": "xml",
    "xml": "xml",
    "yaml": "yaml",
    "yml": "yaml",
}


# The Learn languages whose snippets a reader runs in a POSIX shell: linted with `bash -n` and
# shellcheck, and run in the document's bash session when an article runs as a test.
SHELL_LANGUAGES = frozenset({"bash", "sh", "shell", "azurecli", "azurecli-interactive", "console", "azcopy"})


def is_learn_language(name: str) -> bool:
    return name.lower() in LEARN_LANGUAGES


def pygments_lexer(name: str) -> str:
    return LEARN_LANGUAGES.get(name.lower(), "text")
