"""YAML front matter between `---` lines at the top of an article."""

from __future__ import annotations

from docskit.learn.items import FrontMatter
from docskit.yaml_budget import YamlBudget, load_yaml


def find_front_matter(lines: list[str], budget: YamlBudget | None = None) -> FrontMatter | None:
    """The front matter, read within `budget` like every YAML; what YAML cannot read is the front matter's error."""
    if not lines or lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            raw = "\n".join(lines[1:index])
            if not raw.strip():
                return FrontMatter(1, index + 1, raw, {})
            document = load_yaml(raw, budget)
            if not document.ok:
                what = "refused" if document.refused else "is not valid YAML"
                return FrontMatter(
                    1, index + 1, raw, None, f"front matter {what}: {document.error}", document.error_line + 1
                )
            return FrontMatter(1, index + 1, raw, document.data)
    return None
