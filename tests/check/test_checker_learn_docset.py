"""Cases met on Microsoft's Learn docset (MicrosoftDocs/azure-ai-docs, with Azure/azureml-examples as samples).

Each fixture is a small docset written here, modelled on the public article or
sample file named in the test: false alarms that must stay quiet, and misses
that must be found.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

FRONT = "---\ntitle: Deploy\ndescription: Deploy a model.\n---\n"

# Modelled on cli/endpoints/batch/deploy-models/mnist-classifier/deployment-torch/deployment.yml
# (Azure/azureml-examples): a `batchDeployment` schema with `type: model` and a `settings:` block.
TORCH_DEPLOYMENT = """$schema: https://azuremlschemas.azureedge.net/latest/batchDeployment.schema.json
name: mnist-torch-dpl
endpoint_name: mnist-batch
type: model
model: azureml:mnist-classifier-torch@latest
compute: azureml:batch-cluster
resources:
  instance_count: 1
settings:
  max_concurrency_per_instance: 2
  mini_batch_size: 10
  output_action: append_row
  output_file_name: predictions.csv
"""

# Modelled on cli/endpoints/batch/deploy-pipelines/hello-batch/deployment.yml.
PIPELINE_DEPLOYMENT = """$schema: https://azuremlschemas.azureedge.net/latest/pipelineComponentBatchDeployment.schema.json
name: hello-batch-dpl
endpoint_name: hello-pipeline-batch
type: pipeline
component: azureml:hello_batch@latest
settings:
    default_compute: batch-cluster
"""

ONLINE_DEPLOYMENT = """$schema: https://azuremlschemas.azureedge.net/latest/managedOnlineDeployment.schema.json
name: blue
model: azureml:my-model:1
instance_type: Standard_DS3_v2
instance_count: 1
"""


def codes(report, code):
    return [d for d in report.diagnostics if d.code == code]


def yaml_article(*sources: str, after: str = "") -> str:
    body = "".join(f':::code language="yaml" source="~/samples/{s}":::\n\n' for s in sources)
    return FRONT + "# Deploy\n\n" + body + after


# -- AML001: the SDK loader the CLI uses ----------------------------------------------------


def test_batch_deployments_load_with_the_loader_of_their_type(docset):
    report = docset(
        {
            "docs/article.md": yaml_article("torch.yml", "pipeline.yml"),
            "samples/torch.yml": TORCH_DEPLOYMENT,
            "samples/pipeline.yml": PIPELINE_DEPLOYMENT,
        }
    )
    assert codes(report, "AML001") == [], [d.format_text() for d in report.diagnostics]


def test_a_model_deployment_with_an_unknown_field_is_still_reported(docset):
    report = docset(
        {"docs/article.md": yaml_article("torch.yml"), "samples/torch.yml": TORCH_DEPLOYMENT + "colour: blue\n"}
    )
    assert [d.message.split(":")[0] for d in codes(report, "AML001")] == ["`colour`"]


def test_placeholder_values_are_not_defects_of_the_article(docset):
    yaml = (
        ONLINE_DEPLOYMENT.replace("instance_count: 1", "instance_count: <INSTANCE_COUNT>")
        + "endpoint_name: <ENDPOINT_NAME>\n"
    )
    report = docset({"docs/article.md": yaml_article("blue.yml"), "samples/blue.yml": yaml})
    assert codes(report, "AML001") == [], [d.format_text() for d in report.diagnostics]


@pytest.mark.parametrize(
    "option", ["--endpoint-name $ENDPOINT_NAME", "-e my-endpoint", "--set endpoint_name=my-endpoint"]
)
def test_an_endpoint_name_given_on_the_command_line_is_not_missing(docset, option):
    after = f"```azurecli\naz ml online-deployment create -f endpoints/blue.yml {option}\n```\n"
    report = docset(
        {
            "docs/article.md": yaml_article("endpoints/blue.yml", after=after),
            "samples/endpoints/blue.yml": ONLINE_DEPLOYMENT,
        }
    )
    assert codes(report, "AML001") == [], [d.format_text() for d in report.diagnostics]


def test_an_endpoint_name_missing_everywhere_is_reported(docset):
    after = "```azurecli\naz ml online-deployment create -f endpoints/blue.yml\n```\n"
    report = docset(
        {
            "docs/article.md": yaml_article("endpoints/blue.yml", after=after),
            "samples/endpoints/blue.yml": ONLINE_DEPLOYMENT,
        }
    )
    assert [d.message.split(":")[0] for d in codes(report, "AML001")] == ["`endpoint_name`"]


def test_the_sdks_experimental_notices_stay_off_stderr(tmp_path):
    # A process of its own: the SDK prints each notice once per process, through a handler bound at import.
    (tmp_path / "component.yml").write_text(
        "$schema: https://azuremlschemas.azureedge.net/latest/pipelineComponent.schema.json\nname: hello_batch\n"
        "type: pipeline\njobs:\n  hello:\n    type: command\n    component:\n      command: echo hello\n"
        "      environment: azureml:hello-env@latest\n",
        encoding="utf-8",
    )
    script = (
        "import sys; from pathlib import Path; from docskit.analysis.azureml_validation import validate; "
        "sys.exit(len(validate(Path(sys.argv[1]), 'load_component')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "component.yml")], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and "experimental" not in done.stdout + done.stderr, done.stdout + done.stderr


# -- AML004: a command applied to the wrong kind of YAML (how-to-use-low-priority-batch.md) -------


LOW_PRIORITY = (
    FRONT
    + """# Use low priority VMs

# [Azure CLI](#tab/cli)

To create or update a deployment under the new compute cluster, create a `YAML` configuration file, *endpoint.yml*:

```yaml
$schema: https://azuremlschemas.azureedge.net/latest/batchDeployment.schema.json
endpoint_name: heart-classifier-batch
name: classifier-xgboost
type: model
model: azureml:heart-classifier@latest
compute: azureml:low-pri-cluster
```

Then, create the deployment with the following command:

```azurecli
az ml {group} create -f endpoint.yml
```

# [Python](#tab/sdk)

```python
ml_client.batch_deployments.begin_create_or_update(deployment)
```

---
"""
)


def test_a_batch_endpoint_command_on_a_deployment_file_is_reported(docset):
    report = docset({"docs/article.md": LOW_PRIORITY.format(group="batch-endpoint")})
    found = codes(report, "AML004")
    assert [(d.line, d.column) for d in found] == [(23, 32)], [d.format_text() for d in report.diagnostics]
    assert "batch-deployment YAML" in found[0].message


def test_the_right_command_group_is_quiet(docset):
    report = docset({"docs/article.md": LOW_PRIORITY.format(group="batch-deployment")})
    assert codes(report, "AML004") == []


def test_a_script_command_on_a_shown_yaml_of_another_kind(docset):
    article = FRONT + '# Deploy\n\n:::code language="azurecli" source="~/samples/deploy.sh" id="create":::\n'
    report = docset(
        {
            "docs/article.md": article,
            "samples/deploy.sh": "# <create>\naz ml online-endpoint create -f endpoints/blue.yml\n# </create>\n",
            "samples/endpoints/blue.yml": ONLINE_DEPLOYMENT + "endpoint_name: my-endpoint\n",
        }
    )
    assert len(codes(report, "AML004")) == 1


# -- SH001/SH002: placeholders a reader replaces -----------------------------------------------

needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")


@needs_bash
def test_angle_bracket_placeholders_are_words(docset):
    article = FRONT + (
        "# Logs\n\n```azurecli\naz account set --subscription <subscription-ID>\n"
        "az ml online-deployment get-logs -g <rg> -w <ws> -e <ep> -n <dep>\n"
        "az group create --name <resource group name> --location <LOCATION>\n```\n"
    )
    report = docset({"docs/article.md": article})
    assert codes(report, "SH001") + codes(report, "SH002") == [], [d.format_text() for d in report.diagnostics]


@needs_bash
@pytest.mark.parametrize(
    "line", ["cat < input.json | wc -l", "wc -l <input.json", "ls 2>&1 | head", "diff <(ls a) <(ls b)"]
)
def test_real_redirections_still_parse_as_shell(line):
    from docskit.analysis.placeholders import mask_placeholders

    assert mask_placeholders(line) == line


@needs_bash
def test_a_heredoc_is_not_a_placeholder(docset):
    article = FRONT + '# Request\n\n```bash\ncat <<EOF > request.json\n{"data": 1}\nEOF\nif true; then\n```\n'
    report = docset({"docs/article.md": article})
    assert len(codes(report, "SH001")) == 1


# -- SH001: an unclosed construct reported where it opens -------------------------------------------


@needs_bash
def test_an_if_without_fi_is_reported_at_the_directive_that_opens_it(docset):
    article = FRONT + (
        '# Wait\n\n:::code language="azurecli" source="~/samples/wait.sh" id="create":::\n\n'
        ':::code language="azurecli" source="~/samples/wait.sh" id="wait":::\n'
    )
    script = (
        "# <create>\naz ml online-endpoint create -n $E\n# </create>\n"
        "# <wait>\nSTATUS=$(az ml online-endpoint show -n $E --query provisioning_state -o tsv)\n"
        'if [[ $STATUS != "Succeeded" ]]; then\n  echo failed\n# </wait>\n'
        "echo done\n"
    )
    report = docset({"docs/article.md": article, "samples/wait.sh": script})
    found = codes(report, "SH001")
    assert [d.line for d in found] == [9], [d.format_text() for d in report.diagnostics]
    assert "wait.sh:6" in found[0].message


# -- DUP001: tabs are alternatives; fences are steps too ------------------------------------------------


TABBED = (
    FRONT
    + """# Create the endpoint

# [Azure CLI](#tab/cli)

:::code language="azurecli" source="~/samples/deploy.sh" id="create":::

# [ARM template](#tab/arm)

:::code language="azurecli" source="~/samples/deploy.sh" id="create":::

---
"""
)


def test_the_same_snippet_in_two_tabs_of_one_group_is_no_duplicate(docset):
    report = docset(
        {
            "docs/article.md": TABBED,
            "samples/deploy.sh": "# <create>\naz ml online-endpoint create -n $E -f endpoint.yml\n# </create>\n",
            "samples/endpoint.yml": "name: x\n",
        }
    )
    assert codes(report, "DUP001") == [], [d.format_text() for d in report.diagnostics]


def test_a_tabbed_step_repeated_after_the_tab_group_is_a_duplicate(docset):
    article = TABBED + '\n:::code language="azurecli" source="~/samples/deploy.sh" id="create":::\n'
    report = docset(
        {
            "docs/article.md": article,
            "samples/deploy.sh": "# <create>\naz ml online-endpoint create -n $E -f endpoint.yml\n# </create>\n",
            "samples/endpoint.yml": "name: x\n",
        }
    )
    assert sorted(d.line for d in codes(report, "DUP001")) == [9, 13, 17]


def test_a_directive_then_a_fence_with_the_same_command_is_a_duplicate(docset):
    # how-to-deploy-mlflow-models-online-endpoints.md: the region, then the same command typed in a fence.
    article = FRONT + (
        '# Create the endpoint\n\n:::code language="azurecli" source="~/samples/deploy.sh" id="create":::\n\n'
        "```azurecli\naz ml online-endpoint create --name $ENDPOINT_NAME -f endpoints/create-endpoint.yaml\n```\n"
    )
    report = docset(
        {
            "docs/article.md": article,
            "samples/deploy.sh": "# <create>\naz ml online-endpoint create --name $ENDPOINT_NAME -f endpoints/create-endpoint.yaml\n"
            "# </create>\n",
        }
    )
    assert sorted(d.line for d in codes(report, "DUP001")) == [7, 9], [d.format_text() for d in report.diagnostics]


# -- REG004: C# file headers ----------------------------------------------------------------------


CSHARP = """// <copyright file="Program.cs" company="Microsoft">
// Copyright (c) Microsoft. All rights reserved.
// </copyright>
namespace Scoring
{
    // <main>
    public static class Program { }
    // </main>
}
"""


def test_a_csharp_copyright_header_is_no_region_problem(docset):
    article = FRONT + '# Score\n\n:::code language="csharp" source="~/samples/Program.cs" id="main":::\n'
    report = docset({"docs/article.md": article, "samples/Program.cs": CSHARP})
    assert codes(report, "REG004") == [], [d.format_text() for d in report.diagnostics]


def test_a_header_end_inside_a_shown_region_is_reported(docset):
    source = CSHARP.replace("// <copyright file", "// <main>\n// <copyright file").replace("    // <main>\n", "")
    article = FRONT + '# Score\n\n:::code language="csharp" source="~/samples/Program.cs" id="main":::\n'
    report = docset({"docs/article.md": article, "samples/Program.cs": source})
    found = codes(report, "REG004")
    assert [d.line for d in found] == [4] and "drops the line" in found[0].message


def test_a_misspelt_end_marker_is_still_reported(docset):
    article = FRONT + '# Score\n\n:::code language="csharp" source="~/samples/Program.cs" id="main":::\n'
    report = docset({"docs/article.md": article, "samples/Program.cs": CSHARP + "// </mian>\n"})
    assert [d.line for d in codes(report, "REG004")] == [10]


# -- CMD003: typographic dashes --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "fixed"), [("\u2013-container", "--container"), ("\u2014name", "--name"), ("\u2013n", "-n")]
)
def test_a_typographic_dash_in_a_fenced_command(docset, word, fixed):
    article = FRONT + f"# Upload\n\n```azurecli\naz storage blob upload {word} models --file model.pkl\n```\n"
    report = docset({"docs/article.md": article})
    found = codes(report, "CMD003")
    assert [(d.line, d.column) for d in found] == [(8, 24)] and f"`{fixed}`" in found[0].hint


def test_a_typographic_dash_in_a_directive(docset):
    article = FRONT + '# Upload\n\n:::code language="azurecli" source="~/samples/upload.sh" id="upload":::\n'
    report = docset(
        {
            "docs/article.md": article,
            "samples/upload.sh": "# <upload>\naz storage blob upload \u2013-container models\n# </upload>\n",
        }
    )
    found = codes(report, "CMD003")
    assert len(found) == 1 and "upload.sh:2" in found[0].message


def test_dashes_in_prose_comments_and_output_are_not_commands(docset):
    article = FRONT + (
        "# Upload\n\n```azurecli\n# upload the model \u2013 it takes a minute\n"
        "az storage blob upload --container models\n```\n\n```output\n\u2014name\n```\n"
    )
    assert codes(docset({"docs/article.md": article}), "CMD003") == []


# -- DIR006: Learn's languages ---------------------------------------------------------------------


def test_rest_api_is_a_learn_language(docset):
    article = FRONT + '# Call\n\n:::code language="rest-api" source="~/samples/request.http":::\n'
    report = docset({"docs/article.md": article, "samples/request.http": "GET https://example.com\n"})
    assert codes(report, "DIR006") == [], [d.format_text() for d in report.diagnostics]


# -- DUP001: one command line run on a different file is a different step --------------------------

AZ_NORMALISER = {"command_normalizers": {"az": "amlemu.az.command_line_check:normalize_command_line"}}


def _compute_cluster(first: str, second: str) -> str:
    """Modelled on how-to-create-attach-compute-cluster.md (azure-ai-docs): the same
    `az ml compute create -f create-cluster.yml` twice, each followed by the file it reads."""
    return FRONT + (
        "# Create a cluster\n\n```azurecli\naz ml compute create -f create-cluster.yml\n```\n\n"
        "Where the file *create-cluster.yml* is:\n\n" + first + "\n\n"
        "## Lower your cost with low priority VMs\n\nSet the `vm-priority`:\n\n"
        "```azurecli\naz ml compute create -f create-cluster.yml\n```\n\n"
        "Where the file *create-cluster.yml* is:\n\n" + second + "\n"
    )


# Modelled on cli/resources/compute/cluster-location.yml and cluster-low-priority.yml (Azure/azureml-examples).
CLUSTER_LOCATION = (
    "$schema: https://azuremlschemas.azureedge.net/latest/amlCompute.schema.json\nname: location-example\n"
    "type: amlcompute\nsize: STANDARD_DS3_v2\nmin_instances: 0\nmax_instances: 2\nlocation: westus\n"
)
CLUSTER_LOW_PRIORITY = (
    "$schema: https://azuremlschemas.azureedge.net/latest/amlCompute.schema.json\nname: low-pri-example\n"
    "type: amlcompute\nsize: STANDARD_DS3_v2\nmin_instances: 0\nmax_instances: 2\ntier: low_priority\n"
)


def test_the_same_command_on_a_different_file_shown_after_it_is_no_duplicate(docset):
    article = _compute_cluster(
        ':::code language="yaml" source="~/samples/cluster-location.yml":::',
        ':::code language="yaml" source="~/samples/cluster-low-priority.yml":::',
    )
    report = docset(
        {
            "docs/article.md": article,
            "samples/cluster-location.yml": CLUSTER_LOCATION,
            "samples/cluster-low-priority.yml": CLUSTER_LOW_PRIORITY,
        },
        AZ_NORMALISER,
    )
    assert codes(report, "DUP001") == [], [d.format_text() for d in report.diagnostics]


def test_the_same_command_on_a_different_fenced_file_is_no_duplicate(docset):
    article = _compute_cluster("```yaml\n" + CLUSTER_LOCATION + "```", "```yaml\n" + CLUSTER_LOW_PRIORITY + "```")
    report = docset({"docs/article.md": article}, AZ_NORMALISER)
    assert codes(report, "DUP001") == [], [d.format_text() for d in report.diagnostics]


def test_the_same_command_on_the_same_file_content_is_a_duplicate(docset):
    shown = ':::code language="yaml" source="~/samples/cluster-location.yml":::'
    report = docset(
        {"docs/article.md": _compute_cluster(shown, shown), "samples/cluster-location.yml": CLUSTER_LOCATION},
        AZ_NORMALISER,
    )
    assert sorted(d.line for d in codes(report, "DUP001")) == [7, 13, 19, 25], [
        d.format_text() for d in report.diagnostics
    ]


def test_the_same_command_on_a_file_never_shown_is_still_a_duplicate(docset):
    article = FRONT + (
        "```azurecli\naz ml compute create -f create-cluster.yml\n```\n\nThen again:\n\n"
        "```azurecli\naz ml compute create --file create-cluster.yml\n```\n"
    )
    report = docset({"docs/article.md": article}, AZ_NORMALISER)
    assert sorted(d.line for d in codes(report, "DUP001")) == [5, 11], [d.format_text() for d in report.diagnostics]
