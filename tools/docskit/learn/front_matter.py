"""YAML front matter between `---` lines at the top of an article."""

from __future__ import annotations

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ten times faster

from docskit.learn.items import FrontMatter


def find_front_matter(lines: list[str]) -> FrontMatter | None:
    if not lines or lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            raw = "\n".join(lines[1:index])
            try:
                data = yaml.load(raw, Loader=_LOADER) if raw.strip() else {}
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                line = (mark.line + 2) if mark is not None else 1
                problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
                return FrontMatter(1, index + 1, raw, None, f"front matter is not valid YAML: {problem}", line)
            return FrontMatter(1, index + 1, raw, data)
    return None
