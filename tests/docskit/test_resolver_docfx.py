"""The resolver reproduces DocFX's output, and names each place where DocFX stays silent."""

from __future__ import annotations

import os

import pytest
from docset_fixture import codes

SCRIPT = """#!/bin/bash
# <First>
echo one
# <inner>
    echo two
# </inner>
# </first>
# <overlap_a>
echo a
# <overlap_b>
echo ab
# </overlap_a>
echo b
# </overlap_b>
"""


def test_region_by_id_case_insensitive_and_markers_of_the_family_stripped(docset):
    docset.write("samples/s.sh", SCRIPT)
    snippet = docset.resolve(':::code language="bash" source="~/samples/s.sh" ID="FIRST":::')
    assert snippet.text == "echo one\n    echo two"  # nested markers removed, no dedent (common indent 0)
    assert snippet.source_lines == [3, 5]
    assert codes(snippet) == []


def test_nested_region_is_dedented(docset):
    docset.write("samples/s.sh", SCRIPT)
    assert docset.resolve(':::code language="bash" source="~/samples/s.sh" id="inner":::').text == "echo two"


def test_overlapping_regions_each_keep_their_own_pair(docset):
    docset.write("samples/s.sh", SCRIPT)
    a = docset.resolve(':::code language="bash" source="~/samples/s.sh" id="overlap_a":::')
    b = docset.resolve(':::code language="bash" source="~/samples/s.sh" id="overlap_b":::')
    assert a.text == "echo a\necho ab"
    assert b.text == "echo ab\necho b"


def test_whitespace_inside_markers_is_ignored_and_text_after_a_marker_is_not_a_marker(docset):
    docset.write("samples/w.sh", "#   < Spaced >\nx\n#</spaced>\n# <note> remark\ny\n# </note>\n")
    assert docset.resolve(':::code language="bash" source="~/samples/w.sh" id="spaced":::').text == "x"
    missing = docset.resolve(':::code language="bash" source="~/samples/w.sh" id="note":::')
    # the opener carries text, so DocFX never opens the region: nothing shown
    assert missing.text == "" and "REG001" in codes(missing)


def test_snippet_prefix_is_tried(docset):
    docset.write("samples/p.cs", "// <snippetGreet>\nvar x = 1;\n// </snippetGreet>\n")
    assert docset.resolve(':::code language="csharp" source="~/samples/p.cs" id="Greet":::').text == "var x = 1;"


def test_marker_family_comes_from_the_extension_not_the_language(docset):
    docset.write("samples/f.sh", "// <step>\nls\n// </step>\n")
    snippet = docset.resolve(':::code language="azurecli" source="~/samples/f.sh" id="step":::')
    assert snippet.text == "" and codes(snippet) == ["REG002"]


@pytest.mark.parametrize(
    "name,body",
    [
        ("deploy.yml", "# <node>\nkey: 1\n# </node>\n"),
        ("deploy.yaml", "# <node>\nkey: 1\n# </node>\n"),
        ("main.tf", "# <node>\nkey: 1\n# </node>\n"),
        ("main.bicep", "// <node>\nkey: 1\n// </node>\n"),
        ("Dockerfile", "# <node>\nkey: 1\n# </node>\n"),
    ],
)
def test_explicit_families_for_types_docfx_does_not_know(docset, name, body):
    docset.write(f"samples/{name}", body)
    snippet = docset.resolve(f':::code language="yaml" source="~/samples/{name}" id="node":::')
    assert snippet.text == "key: 1" and codes(snippet) == []


def test_id_found_in_another_family_where_docfx_tries_all(docset):
    docset.write("samples/odd.yml", "// <node>\nkey: 1\n// </node>\n")
    snippet = docset.resolve(':::code language="yaml" source="~/samples/odd.yml" id="node":::')
    assert snippet.text == "key: 1"  # DocFX's output: it tries every family for .yml
    assert codes(snippet) == ["REG002"]


def test_ambiguous_id_in_two_families(docset):
    docset.write("samples/x.tf", "# <a>\none\n# </a>\n// <a>\ntwo\n// </a>\n")
    snippet = docset.resolve(':::code language="terraform" source="~/samples/x.tf" id="a":::')
    assert snippet.text == "one" and "REG008" in codes(snippet)


def test_region_markers_kept_for_range_and_whole_file(docset):
    docset.write("samples/s.sh", SCRIPT)
    whole = docset.resolve(':::code language="bash" source="~/samples/s.sh":::')
    assert whole.text.splitlines()[1] == "# <First>"
    ranged = docset.resolve(':::code language="bash" source="~/samples/s.sh" range="2-3":::')
    assert ranged.text == "# <First>\necho one"


def test_dedent_counts_whitespace_only_lines_and_expands_tabs(docset):
    docset.write("samples/d.py", "# <d>\n        a = 1\n  \n\n\tb = 2\n# </d>\n")
    snippet = docset.resolve(':::code language="python" source="~/samples/d.py" id="d":::')
    # the whitespace-only line (2 spaces) lowers the common indent to 2; the tab expands to 4
    assert snippet.text == "      a = 1\n\n\n  b = 2"


def test_ranges_lists_open_ends_and_order(docset):
    docset.write("samples/n.txt", "".join(f"line{i}\n" for i in range(1, 11)))
    assert (
        docset.resolve(':::code language="text" source="~/samples/n.txt" range="2-3,9-":::').text
        == "line2\nline3\nline9\nline10"
    )
    assert docset.resolve(':::code language="text" source="~/samples/n.txt" range="5,1":::').text == "line5\nline1"


def test_range_past_the_end_is_clamped_and_reported(docset):
    docset.write("samples/n.txt", "a\nb\nc\n")
    snippet = docset.resolve(':::code language="text" source="~/samples/n.txt" range="2-9":::')
    assert snippet.text == "b\nc" and codes(snippet) == ["RNG002"]
    assert snippet.diagnostics[0].column == 50


def test_malformed_range_falls_back_to_the_whole_file(docset):
    docset.write("samples/n.txt", "a\nb\nc\n")
    snippet = docset.resolve(':::code language="text" source="~/samples/n.txt" range="a-b":::')
    assert snippet.text == "a\nb\nc" and codes(snippet) == ["RNG001"]


def test_malformed_range_keeps_the_pieces_before_the_bad_one(docset):
    docset.write("samples/n.txt", "a\nb\nc\n")
    snippet = docset.resolve(':::code language="text" source="~/samples/n.txt" range="2,x":::')
    assert snippet.text == "b" and codes(snippet) == ["RNG001"]


def test_id_with_range_id_wins(docset):
    docset.write("samples/s.sh", SCRIPT)
    snippet = docset.resolve(':::code language="bash" source="~/samples/s.sh" id="inner" range="1-2":::')
    assert snippet.text == "echo two" and codes(snippet) == ["DIR005"]


def test_repeated_start_marker_shows_the_last_definition(docset):
    docset.write("samples/r.sh", "# <x>\nfirst\n# </x>\n# <x>\nsecond\n# </x>\n")
    snippet = docset.resolve(':::code language="bash" source="~/samples/r.sh" id="x":::')
    assert snippet.text == "second" and codes(snippet) == ["REG005"]


def test_first_end_marker_closes_the_region(docset):
    docset.write("samples/e.sh", "# <x>\none\n# </x>\ntwo\n# </x>\n")
    assert docset.resolve(':::code language="bash" source="~/samples/e.sh" id="x":::').text == "one"


def test_unclosed_region_shows_nothing(docset):
    docset.write("samples/u.sh", "# <open>\nls\n# </other>\n")
    snippet = docset.resolve(':::code language="bash" source="~/samples/u.sh" id="open":::')
    assert snippet.text == "" and codes(snippet) == ["REG003"]


def test_empty_region(docset):
    docset.write("samples/e.sh", "# <empty>\n# </empty>\n")
    snippet = docset.resolve(':::code language="bash" source="~/samples/e.sh" id="empty":::')
    assert snippet.text == "" and codes(snippet) == ["REG006"]


def test_missing_region_suggests_close_ids(docset):
    docset.write("samples/s.sh", "# <green_10pct_traffic>\nx\n# </green_10pct_traffic>\n")
    snippet = docset.resolve(':::code language="bash" source="~/samples/s.sh" id="green_10_pct_traffic":::')
    (diag,) = snippet.diagnostics
    assert diag.code == "REG001" and "green_10pct_traffic" in diag.hint


def test_region_region_family_with_stack(docset):
    docset.write("samples/c.cs", "#region Outer\na();\n#region Inner\nb();\n#endregion\nc();\n#endregion\n")
    assert docset.resolve(':::code language="csharp" source="~/samples/c.cs" id="outer":::').text == "a();\nb();\nc();"
    assert docset.resolve(':::code language="csharp" source="~/samples/c.cs" id="inner":::').text == "b();"


def test_highlight_is_relative_to_the_snippet_and_validated(docset):
    docset.write("samples/s.sh", "x\n# <r>\na\nb\nc\n# </r>\n")
    good = docset.resolve(':::code language="bash" source="~/samples/s.sh" id="r" highlight="2-3":::')
    assert good.highlight == [2, 3] and codes(good) == []
    past = docset.resolve(':::code language="bash" source="~/samples/s.sh" id="r" highlight="3,5":::')
    assert codes(past) == ["RNG004"] and past.highlight == [3]
    bad = docset.resolve(':::code language="bash" source="~/samples/s.sh" id="r" highlight="two":::')
    assert codes(bad) == ["RNG003"]
    open_end = docset.resolve(':::code language="bash" source="~/samples/s.sh" id="r" highlight="2-":::')
    assert open_end.highlight == [2, 3] and codes(open_end) == []


def test_trailing_whitespace_of_the_block_is_trimmed(docset):
    docset.write("samples/t.txt", "a  \nb  \n\n\n")
    assert docset.resolve(':::code language="text" source="~/samples/t.txt":::').text == "a  \nb"


def test_unknown_and_inferred_language(docset):
    docset.write("samples/s.sh", "ls\n")
    assert codes(docset.resolve(':::code language="klingon" source="~/samples/s.sh":::')) == ["DIR006"]
    inferred = docset.resolve(':::code source="~/samples/s.sh":::')
    assert inferred.language == "shell" and codes(inferred) == []
    docset.write("samples/v.yml", "a: 1\n")
    assert codes(docset.resolve(':::code source="~/samples/v.yml":::')) == ["DIR006"]


def test_directive_syntax_problems_reach_the_snippet(docset):
    docset.write("samples/s.sh", "ls\n")
    snippet = docset.resolve(':::code language="bash" source="~/samples/s.sh" colour="red" language="sh":::')
    assert sorted(codes(snippet)) == ["DIR001", "DIR002"]


# -- files --------------------------------------------------------------------------------


def test_bom_crlf_and_missing_final_newline(docset):
    docset.write("samples/b.sh", b"\xef\xbb\xbf# <a>\r\none\r\n# </a>\r\nlast")
    snippet = docset.resolve(':::code language="bash" source="~/samples/b.sh" id="a":::')
    assert snippet.text == "one"
    whole = docset.resolve(':::code language="bash" source="~/samples/b.sh" range="4":::')
    assert whole.text == "last" and codes(whole) == []  # a last line without newline is a line
    assert (
        docset.resolve(':::code language="bash" source="~/samples/b.sh" range="5":::').diagnostics[0].code == "RNG002"
    )


def test_not_utf8_and_binary_are_diagnostics(docset):
    docset.write("samples/l1.sh", "caf\xe9\n".encode("latin-1"))
    docset.write("samples/bin.sh", b"\x00\x01\x02")
    latin = docset.resolve(':::code language="bash" source="~/samples/l1.sh":::')
    assert codes(latin) == ["SRC004"] and "line 1, column 4" in latin.diagnostics[0].message
    assert codes(docset.resolve(':::code language="bash" source="~/samples/bin.sh":::')) == ["SRC003"]


def test_each_file_is_read_once(docset):
    docset.write("samples/s.sh", SCRIPT)
    for region in ("first", "inner", "overlap_a", "overlap_b"):
        docset.resolve(f':::code language="bash" source="~/samples/s.sh" id="{region}":::')
    assert docset.resolver.cache.reads == 1


# -- paths --------------------------------------------------------------------------------


def test_relative_source_and_missing_source_with_hint(docset):
    docset.write("docs/code/x.yml", "a: 1\n")
    assert docset.resolve(':::code language="yaml" source="code/x.yml":::').text == "a: 1"
    missing = docset.resolve(':::code language="yaml" source="code/x.yaml":::')
    assert codes(missing) == ["SRC001"] and "x.yml" in missing.diagnostics[0].hint


def test_unknown_root(docset):
    assert codes(docset.resolve(':::code language="bash" source="~/nowhere-root/x.sh":::')) == ["SRC005"]


@pytest.mark.parametrize("source", ["../../../etc/passwd", "/etc/passwd", "~/samples/../../../etc/passwd"])
def test_paths_that_leave_their_root_are_refused(docset, source):
    snippet = docset.resolve(f':::code language="text" source="{source}":::')
    assert codes(snippet) == ["SRC002"] and snippet.file is None  # never read


def test_symlink_out_of_the_root_is_refused(docset, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "secret.txt"
    outside.write_text("secret\n")
    os.symlink(outside, docset.root / "samples" / "link.txt")
    snippet = docset.resolve(':::code language="text" source="~/samples/link.txt":::')
    assert codes(snippet) == ["SRC002"] and snippet.text == ""
