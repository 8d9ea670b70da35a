"""What a check of Learn articles reports, and on what: cases met on Microsoft's Learn docset.

Each fixture is a small docset written here, modelled on the public article
(MicrosoftDocs/azure-ai-docs) or sample file (Azure/azureml-examples) named in
the test.
"""

from __future__ import annotations

FRONT = "---\ntitle: Deploy\ndescription: Deploy a model.\n---\n"


def codes(report, code):
    return [d for d in report.diagnostics if d.code == code]


def shown(report):
    return [d.format_text() for d in report.diagnostics]


# -- AML001: a deployment file shown on its own (reference-yaml-deployment-managed-online.md) -----

# Modelled on cli/endpoints/online/managed/managed-identities/2-sai-deployment.yml: no `endpoint_name`.
SAI_DEPLOYMENT = """$schema: https://azuremlschemas.azureedge.net/latest/managedOnlineDeployment.schema.json
name: blue
model: azureml:my-model:1
instance_type: Standard_DS3_v2
instance_count: 1
"""

# Modelled on a batch deployment file without `endpoint_name`, created with `-e` by its script.
BATCH_DEPLOYMENT = """$schema: https://azuremlschemas.azureedge.net/latest/modelBatchDeployment.schema.json
name: classifier-xgboost
type: model
model: azureml:heart-classifier@latest
compute: azureml:batch-cluster
resources:
  instance_count: 2
"""


def test_a_deployment_file_shown_without_a_command_needs_no_endpoint_name(docset):
    article = (
        FRONT + "# YAML: system-assigned identity\n\n"
        ':::code language="yaml" source="~/samples/managed-identities/2-sai-deployment.yml":::\n\n'
        "# YAML: batch\n\n"
        ':::code language="yaml" source="~/samples/batch/deployment.yml":::\n'
    )
    report = docset(
        {
            "docs/reference-yaml-deployment-managed-online.md": article,
            "samples/managed-identities/2-sai-deployment.yml": SAI_DEPLOYMENT,
            "samples/batch/deployment.yml": BATCH_DEPLOYMENT,
        }
    )
    assert codes(report, "AML001") == [], shown(report)


def test_other_schema_errors_of_a_deployment_file_are_still_reported(docset):
    article = FRONT + "# YAML\n\n" + ':::code language="yaml" source="~/samples/deployment.yml":::\n'
    report = docset(
        {"docs/article.md": article, "samples/deployment.yml": SAI_DEPLOYMENT + "instance_typo: Standard_DS3_v2\n"}
    )
    assert [d.message.split(":")[0] for d in codes(report, "AML001")] == ["`instance_typo`"], shown(report)


# -- FMT001: include files are not articles (includes/machine-learning-cli-v2.md) ----------------

LEARN_FRONT = (
    "---\ntitle: Deploy\ndescription: Deploy a model.\nauthor: s-polly\nms.author: scottpolly\n"
    "ms.service: azure-machine-learning\nms.topic: how-to\nms.date: 04/22/2022\n---\n"
)
# Modelled on articles/machine-learning/includes/machine-learning-cli-v2.md: no title, no description.
INCLUDE_FRONT = (
    "---\nauthor: s-polly\nms.service: azure-machine-learning\nms.topic: include\n"
    "ms.date: 04/22/2022\nms.author: scottpolly\n---\n"
)


def _with_include(include: str) -> dict[str, str]:
    return {
        "docs/article.md": LEARN_FRONT + "# Deploy\n\n[!INCLUDE [cli v2](includes/machine-learning-cli-v2.md)]\n",
        "docs/includes/machine-learning-cli-v2.md": include,
    }


def test_an_include_needs_no_title_or_description(docset):
    report = docset(_with_include(INCLUDE_FRONT + "\n**APPLIES TO:** Azure CLI ml extension v2 (current)\n"))
    assert codes(report, "FMT001") == [], shown(report)


def test_an_include_named_on_the_command_line_is_still_an_include(docset, tmp_path):
    files = _with_include(INCLUDE_FRONT + "\nText.\n")
    report = docset(files, paths=[tmp_path / "docs/includes/machine-learning-cli-v2.md"])
    assert codes(report, "FMT001") == [], shown(report)


def test_an_include_says_ms_topic_include_and_its_values_are_checked(docset):
    front = INCLUDE_FRONT.replace("ms.topic: include", "ms.topic: how-to").replace("04/22/2022", "2022-04-22")
    report = docset(_with_include(front + "\nText.\n"))
    assert sorted(d.message for d in codes(report, "FMT001")) == [
        "`ms.date: 2022-04-22` is not MM/DD/YYYY",
        "`ms.topic: how-to` on an include file",
    ], shown(report)
    assert all(d.path.endswith("machine-learning-cli-v2.md") for d in codes(report, "FMT001"))


def test_an_article_still_needs_its_title(docset):
    report = docset({"docs/article.md": LEARN_FRONT.replace("title: Deploy\n", "") + "# Deploy\n"})
    assert [d.message for d in codes(report, "FMT001")] == ["front matter has no `title`"], shown(report)


# -- HTML comments are not published --------------------------------------------------------------

COMMENTED = (
    FRONT
    + """# Deploy

<!-- [!INCLUDE [x](includes/nonexistent.md)] -->

<!--
:::code language="azurecli" source="~/samples/missing.sh" id="create":::

tk: explain the traffic split
-->

Text with an inline <!-- tk --> remark, and `<!-- tk -->` shown as code: tk.

<!-- check-snippets-disable-next-line TXT001 -->
The tk here is silenced.
"""
)


def test_nothing_inside_an_html_comment_is_checked(docset):
    report = docset({"docs/article.md": COMMENTED})
    assert [(d.code, d.line, d.column) for d in report.diagnostics if d.code != "REG007"] == [
        ("TXT001", 15, 51),
        ("TXT001", 15, 74),
    ], shown(report)  # a tk in code is still flagged; in a comment, not


def test_a_comment_inside_a_fence_is_code_and_a_fence_inside_a_comment_is_comment(docset):
    article = FRONT + (
        "# Deploy\n\n```bash\n<!-- not a comment\n```\n\n[!INCLUDE [x](includes/missing.md)]\n\n"
        "<!--\n```bash\n-->\n\n[!INCLUDE [y](includes/also-missing.md)]\n"
    )
    report = docset({"docs/article.md": article})
    assert [(d.code, d.line) for d in report.diagnostics] == [("INC001", 11), ("INC001", 17)], shown(report)


# -- Checking an article reports on the files it shows (how-to-safely-rollout-online-endpoints.md) -----

# Modelled on cli/deploy-safe-rollout-online-endpoints.sh (shown) beside another script of the samples
# repository with an unclosed region (shown by no article of this docset).
ROLLOUT_SH = (
    "# <create_endpoint>\naz ml online-endpoint create -n $ENDPOINT_NAME\n# </create_endpoint>\n\n"
    "# <delete_endpoint>\naz ml online-endpoint delete -n $ENDPOINT_NAME --yes\n# </delete_endpoint>\n"
)
OTHER_SH = "# <create_compute>\naz ml compute create -n cpu-cluster --type amlcompute\n\n# <cleanup>\necho done\n"
ROLLOUT = (
    FRONT + "# Safe rollout\n\n"
    ':::code language="azurecli" source="~/samples/cli/deploy-safe-rollout-online-endpoints.sh" id="create_endpoint":::\n'
)
SAMPLES = {
    "docs/how-to-safely-rollout-online-endpoints.md": ROLLOUT,
    "samples/cli/deploy-safe-rollout-online-endpoints.sh": ROLLOUT_SH,
    "samples/cli/deploy-compute.sh": OTHER_SH,
}


def test_checking_an_article_reports_nothing_on_sample_files_it_does_not_show(docset):
    report = docset(SAMPLES)
    assert report.diagnostics == [] and report.exit_code == 0, shown(report)


def test_region_problems_of_a_file_the_article_shows_are_still_reported(docset):
    broken = ROLLOUT_SH.replace("# </delete_endpoint>\n", "")
    report = docset({**SAMPLES, "samples/cli/deploy-safe-rollout-online-endpoints.sh": broken})
    assert [(d.path, d.code, d.line) for d in report.diagnostics] == [
        ("samples/cli/deploy-safe-rollout-online-endpoints.sh", "REG003", 5)
    ], shown(report)


def test_unused_regions_are_an_audit_asked_for_by_name(docset):
    report = docset(SAMPLES, select=["REG007"])
    assert sorted((d.path, d.line) for d in report.diagnostics) == [
        ("samples/cli/deploy-compute.sh", 1),
        ("samples/cli/deploy-compute.sh", 4),
        ("samples/cli/deploy-safe-rollout-online-endpoints.sh", 5),
    ], shown(report)
    assert {d.code for d in docset(SAMPLES, select=["REG"]).diagnostics} == set()  # a prefix is not asking


def test_the_whole_samples_repository_is_sources_only_business(docset):
    report = docset(SAMPLES, sources_only=True)
    assert sorted((d.path, d.code) for d in report.diagnostics) == [
        ("samples/cli/deploy-compute.sh", "REG003"),
        ("samples/cli/deploy-compute.sh", "REG003"),
    ], shown(report)


# -- SRC005: an unknown root, once per run (a docset checked without --root for its samples) ----------


def _directive(region: str) -> str:
    return (
        ':::code language="azurecli" source="~/azureml-examples-main/cli/deploy-safe-rollout-online-endpoints.sh"'
        f' id="{region}":::\n\n'
    )


UNMAPPED = {
    "docs/a-rollout.md": FRONT + "# Rollout\n\n" + _directive("create_endpoint") + _directive("delete_endpoint"),
    "docs/b-mirror.md": FRONT + "# Mirror\n\n" + _directive("mirror_traffic"),
}


def test_an_unknown_root_is_reported_once_with_the_root_option_to_fix_it(docset):
    report = docset(UNMAPPED)
    assert [(d.path, d.line, d.code) for d in report.diagnostics] == [("docs/a-rollout.md", 7, "SRC005")], shown(report)
    [finding] = report.diagnostics
    assert finding.message.startswith("unknown root `azureml-examples-main`")
    assert "3 directives in 2 files" in finding.message
    assert "--root azureml-examples-main=DIR" in finding.hint


def test_an_unknown_root_is_named_even_when_no_root_is_configured(docset):
    report = docset(UNMAPPED, {"roots": {}})
    assert [(d.code, d.message.split(":")[0]) for d in report.diagnostics] == [
        ("SRC005", "unknown root `azureml-examples-main`")
    ], shown(report)
