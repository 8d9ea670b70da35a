"""`check_page`, the entry point of the site build: same codes and messages, no external programs."""

from __future__ import annotations

from checker_support import write_files

from docskit.check import check_page
from docskit.config import Config, Options, build_roots
from docskit.snippets import Resolver

FILES = {
    "docs/a.md": '# A\n\n:::code language="azurecli" source="~/samples/s.sh" id="missing":::\n\n```bash\nif x; then\n```\n',
    "samples/s.sh": "# <present>\necho hi\n# </present>\n",
}


def test_same_findings_as_the_linter_without_external_checks(tmp_path):
    write_files(tmp_path, FILES)
    config = Config(Options(roots={"samples": "samples"}, severity={"REG001": "warning"}), tmp_path, tmp_path / "docs")
    resolver = Resolver(build_roots(config))
    page = tmp_path / "docs" / "a.md"
    found = check_page(page, "docs/a.md", page.read_text(), config, resolver)
    assert [(d.code, d.line, d.severity.value) for d in found] == [("REG001", 3, "warning")]
    assert found[0].hint == "regions in this file: `present`"
    from docskit.rules import SITE_CODES

    assert not {"SH001", "SH002", "AML001"} & SITE_CODES
