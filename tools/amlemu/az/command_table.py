"""The `az` command table: one source of truth for the emulated CLI and for static checks.

The emulated `az` builds its knack parser from this table, and the docs linter
checks `az` lines in snippets against the very same table, so a snippet that
passes the check parses in the emulator and vice versa.

The table is plain data (no knack, no azure imports, no parsing: that is
`command_line_check`) so that the linter can import it in a few milliseconds. Option order follows the order in which the
real CLI registers its arguments (handler signature order, then generic-update
arguments), because argparse lists required and ambiguous options in that order.

Facts come from the `ml` extension 2.45 parameter files and from azure-cli-core
2.91/knack 0.14 (see the reference notes); the help sentences are our own.
"""

from __future__ import annotations

# Option kinds -----------------------------------------------------------------

VALUE = "value"  # takes exactly one value
FLAG = "flag"  # store_true, takes no value
LIST = "list"  # nargs="+": one or more values
THREE_STATE = "three_state"  # a flag that may be followed by true/false (nargs="?")

THREE_STATE_VALUES = ("true", "false", "yes", "no", "on", "off", "1", "0")

# How repeated occurrences of a LIST option are kept (argparse keeps only the last by default).
APPEND = "append"  # one list of values per occurrence, in order (the `ml` extension's `--set` on create)
ORDERED = "ordered"  # (option string, values) per occurrence in `ordered_arguments`, shared by the generic
# update options so that `--set`, `--add` and `--remove` apply in command-line order, as azure-cli-core does

OUTPUT_FORMATS = ("json", "jsonc", "yaml", "yamlc", "table", "tsv", "none")  # knack's order


class Option:
    """One command-line argument: its option strings (long name first), how it takes values.

    A plain slotted class rather than a dataclass: this module is imported by the
    linter on every run and class generation is the larger part of its import time.
    """

    __slots__ = (
        "names",
        "dest",
        "help",
        "kind",
        "required",
        "choices",
        "default",
        "configured_default",
        "is_path",
        "repeat",
    )

    def __init__(
        self,
        names: tuple[str, ...],
        dest: str,
        help: str,
        kind: str = VALUE,
        *,
        required: bool = False,
        choices: tuple[str, ...] = (),
        default: object = None,
        configured_default: str | None = None,
        is_path: bool = False,
        repeat: str | None = None,
    ) -> None:
        self.names = names
        self.dest = dest
        self.help = help
        self.kind = kind
        self.required = required
        self.choices = choices
        self.default = default
        self.configured_default = configured_default  # key under [defaults] that can supply the value
        self.is_path = is_path  # the value is a local file the command reads
        self.repeat = repeat  # None: the last occurrence wins; APPEND or ORDERED: every occurrence counts

    def __repr__(self) -> str:
        return f"Option({self.display!r}, kind={self.kind!r})"

    @property
    def long_name(self) -> str:
        return self.names[0]

    @property
    def display(self) -> str:
        """How argparse names the argument in its messages: all option strings joined by '/'."""
        return "/".join(self.names)


class Command:
    """A leaf command. `handler` is "module:function", imported only when the command runs."""

    __slots__ = ("name", "summary", "handler", "options", "confirmation", "examples")

    def __init__(
        self,
        name: str,
        summary: str,
        handler: str,
        options: tuple[Option, ...],
        *,
        confirmation: bool = False,
        examples: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.name = name
        self.summary = summary
        self.handler = handler
        self.options = options
        self.confirmation = confirmation
        self.examples = examples

    def __repr__(self) -> str:
        return f"Command({self.name!r})"


class RemovedCommand:
    """A command or group that existed in an older CLI and is gone from today's."""

    __slots__ = ("name", "replacement", "note")

    def __init__(self, name: str, replacement: str | None, note: str) -> None:
        self.name = name
        self.replacement = replacement
        self.note = note


# Shared options -----------------------------------------------------------------

GLOBAL_OPTIONS: tuple[Option, ...] = (
    Option(("--help", "-h"), "_help", "Show this help message and exit.", FLAG),
    Option(
        ("--verbose",), "_log_verbosity_verbose", "Increase logging verbosity. Use --debug for full debug logs.", FLAG
    ),
    Option(("--debug",), "_log_verbosity_debug", "Increase logging verbosity to show all debug logs.", FLAG),
    Option(("--only-show-errors",), "_log_verbosity_only_show_errors", "Only show errors, suppressing warnings.", FLAG),
    Option(("--output", "-o"), "_output_format", "Output format.", VALUE, choices=OUTPUT_FORMATS, default="json"),
    Option(
        ("--query",),
        "_jmespath_query",
        "JMESPath query string. See http://jmespath.org/ for more information and examples.",
    ),
)

SUBSCRIPTION = Option(
    ("--subscription",),
    "subscription",
    "Name or ID of subscription. You can configure the default subscription using `az account set -s NAME_OR_ID`.",
)
RESOURCE_GROUP = Option(
    ("--resource-group", "-g"),
    "resource_group_name",
    "Name of resource group. You can configure the default group using `az configure --defaults group=<name>`.",
    required=True,
    configured_default="group",
)
WORKSPACE = Option(
    ("--workspace-name", "-w"),
    "workspace_name",
    "Name of the Azure ML workspace. You can configure the default workspace using "
    "`az configure --defaults workspace=<name>`.",
    required=True,
    configured_default="workspace",
)
NO_WAIT = Option(
    ("--no-wait",), "no_wait", "Do not wait for the long-running operation to finish.", FLAG, default=False
)
YES = Option(("--yes", "-y"), "yes", "Do not prompt for confirmation.", FLAG, default=False)
SET_OVERRIDE = Option(
    ("--set",),
    "params_override",
    "Override a property of the YAML specification: --set property1.property2=value.",
    LIST,
    repeat=APPEND,
)
GENERIC_UPDATE = (
    Option(
        ("--set",),
        "generic_set",
        "Update an object by specifying a property path and value to set. Example: --set property1.property2=<value>.",
        LIST,
        repeat=ORDERED,
    ),
    Option(
        ("--add",),
        "generic_add",
        "Add an object to a list of objects by specifying a path and key value pairs. "
        "Example: --add property.listProperty <key=value, string or JSON string>.",
        LIST,
        repeat=ORDERED,
    ),
    Option(
        ("--remove",),
        "generic_remove",
        "Remove a property or an element from a list. "
        "Example: --remove property.list <indexToRemove> OR --remove propertyToRemove.",
        LIST,
        repeat=ORDERED,
    ),
    Option(
        ("--force-string",),
        "force_string",
        "When using 'set' or 'add', preserve string literals instead of attempting to convert to JSON.",
        FLAG,
        default=False,
    ),
)


def _local(help_text: str) -> Option:
    return Option(("--local",), "local", help_text, THREE_STATE, default=False)


def _endpoint_name_option(required: bool = False) -> Option:
    return Option(("--name", "-n"), "name", "Name of the online endpoint.", required=required)


def _deployment_name_option(required: bool = False) -> Option:
    return Option(("--name", "-n"), "name", "Name of the deployment.", required=required)


def _deployment_endpoint_option(required: bool = False) -> Option:
    """`--endpoint-name/-e` of the deployment commands (where `-e` is not `--web`)."""
    return Option(("--endpoint-name", "-e"), "endpoint_name", "Name of the online endpoint.", required=required)


ENDPOINT_WEB = Option(
    ("--web", "-e"), "web", "Show the endpoint in Azure ML studio in a web browser.", FLAG, default=False
)
DEPLOYMENT_WEB = Option(
    ("--web",), "web", "Show the deployment in Azure ML studio in a web browser.", FLAG, default=False
)
WORKSPACE_SCOPE = (RESOURCE_GROUP, WORKSPACE)

_EP = "amlemu.az.handlers.online_endpoint"
_DEP = "amlemu.az.handlers.online_deployment"
_ACCOUNT = "amlemu.az.handlers.account"
_CONFIGURE = "amlemu.az.handlers.configure"
_EXTENSION = "amlemu.az.handlers.extension"
_MODEL = "amlemu.az.handlers.model"
_ENVIRONMENT = "amlemu.az.handlers.environment"
_WORKSPACE = "amlemu.az.handlers.workspace"
_GROUP = "amlemu.az.handlers.group"
_BLOB = "amlemu.az.handlers.storage_blob"

ENDPOINT_FILE_HELP = "Local path to the YAML file containing the Azure ML online-endpoint specification."
DEPLOYMENT_FILE_HELP = "Local path to the YAML file containing the Azure ML online-deployment specification."

# Groups and commands ------------------------------------------------------------

# Every group: each name that prefixes a command (the root group is ''), with its summary.
GROUPS: dict[str, str] = {
    "": "Emulated Azure CLI for an emulated Azure Machine Learning workspace.",
    "ml": "Manage Azure Machine Learning resources with the Azure CLI ML extension v2.",
    "ml online-endpoint": "Manage Azure ML online endpoints.",
    "ml online-deployment": "Manage Azure ML online deployments.",
    "ml model": "Manage Azure ML models.",
    "ml environment": "Manage Azure ML environments.",
    "ml workspace": "Manage Azure ML workspaces.",
    "account": "Manage Azure subscription information.",
    "extension": "Manage and update CLI extensions.",
    "group": "Manage resource groups and template deployments.",
    "storage": "Manage Azure Cloud Storage resources.",
    "storage blob": "Manage object storage for unstructured data (blobs).",
}


def _asset_name(asset: str, required: bool = False) -> Option:
    return Option(("--name", "-n"), "name", f"Name of the {asset}.", required=required)


def _asset_version(asset: str) -> Option:
    return Option(("--version", "-v"), "version", f"Version of the {asset}.")


def _asset_label(asset: str) -> Option:
    return Option(("--label", "-l"), "label", f"Label of the {asset}.")


REGISTRY = Option(
    ("--registry-name",),
    "registry_name",
    "If provided, the command targets the registry instead of a workspace (registries are not emulated).",
)
TAGS = Option(("--tags",), "tags", "Space-separated tags: key[=value] [key[=value] ...].", LIST)
DESCRIPTION = Option(("--description",), "description", "Description of the asset.")
DATASTORE = Option(("--datastore",), "datastore", "The datastore to upload the local artifact to.")
MAX_RESULTS = Option(("--max-results", "-r"), "max_results", "Max number of results to return.")


def _archived_filters(assets: str) -> tuple[Option, ...]:
    return (
        Option(
            ("--include-archived",),
            "include_archived",
            f"List archived {assets} and active {assets}.",
            FLAG,
            default=False,
        ),
        Option(("--archived-only",), "archived_only", f"List archived {assets} only.", FLAG, default=False),
    )


# `az storage blob`: the account and credential options of every data-plane command (azure-cli's
# storage module; AZURE_STORAGE_ACCOUNT, AZURE_STORAGE_KEY, AZURE_STORAGE_CONNECTION_STRING,
# AZURE_STORAGE_SAS_TOKEN and AZURE_STORAGE_AUTH_MODE supply them from the environment).
STORAGE_ACCOUNT = (
    Option(("--account-name",), "account_name", "Storage account name. Environment variable: AZURE_STORAGE_ACCOUNT."),
    Option(("--account-key",), "account_key", "Storage account key. Environment variable: AZURE_STORAGE_KEY."),
    Option(
        ("--connection-string",),
        "connection_string",
        "Storage account connection string. Environment variable: AZURE_STORAGE_CONNECTION_STRING.",
    ),
    Option(
        ("--sas-token",), "sas_token", "A Shared Access Signature (SAS). Environment variable: AZURE_STORAGE_SAS_TOKEN."
    ),
    Option(
        ("--auth-mode",),
        "auth_mode",
        "The mode in which to run the command: login uses your login credentials, "
        "key uses the account key (queried when not given). Environment variable: AZURE_STORAGE_AUTH_MODE.",
        choices=("key", "login"),
    ),
    Option(("--blob-endpoint",), "blob_endpoint", "Storage data service endpoint."),
)
CONTAINER = Option(("--container-name", "-c"), "container_name", "The container name.", required=True)
BLOB_NAME = Option(("--name", "-n"), "blob_name", "The blob name.", required=True)
NO_PROGRESS = Option(("--no-progress",), "no_progress", "Do not show the progress bar.", FLAG, default=False)
OVERWRITE = Option(("--overwrite",), "overwrite", "Whether an existing blob is overwritten.", THREE_STATE, default=None)

COMMANDS: tuple[Command, ...] = (
    # az ml online-endpoint ---------------------------------------------------------
    Command(
        "ml online-endpoint create",
        "Create an endpoint.",
        f"{_EP}:create",
        (
            *WORKSPACE_SCOPE,
            Option(
                ("--auth-mode",),
                "auth_mode",
                "Authentication method for the endpoint: key, aml_token or aad_token. Default: key.",
            ),
            Option(("--file", "-f"), "file", ENDPOINT_FILE_HELP, is_path=True),
            _endpoint_name_option(),
            _local("Create the endpoint locally (needs Docker)."),
            NO_WAIT,
            SET_OVERRIDE,
            ENDPOINT_WEB,
            SUBSCRIPTION,
        ),
        examples=(("Create an endpoint from a YAML file", "az ml online-endpoint create --file endpoint.yml"),),
    ),
    Command(
        "ml online-endpoint show",
        "Show details for an endpoint.",
        f"{_EP}:show",
        (*WORKSPACE_SCOPE, _endpoint_name_option(True), _local("Show a local endpoint."), ENDPOINT_WEB, SUBSCRIPTION),
        examples=(
            ("Show the traffic split of an endpoint", "az ml online-endpoint show -n my-endpoint --query traffic"),
        ),
    ),
    Command(
        "ml online-endpoint list",
        "List the online endpoints of a workspace.",
        f"{_EP}:list_",
        (*WORKSPACE_SCOPE, _local("List local endpoints."), SUBSCRIPTION),
    ),
    Command(
        "ml online-endpoint update",
        "Update an endpoint: traffic, mirror traffic, description, tags.",
        f"{_EP}:update",
        (
            *WORKSPACE_SCOPE,
            Option(
                ("--traffic", "-r"),
                "traffic",
                'Space-separated key-value pairs, in quotes, for the traffic split: "blue=90 green=10".',
            ),
            _endpoint_name_option(),
            Option(("--file", "-f"), "file", ENDPOINT_FILE_HELP, is_path=True),
            _local("Update a local endpoint."),
            NO_WAIT,
            Option(
                ("--mirror-traffic",),
                "mirror_traffic",
                'Copy a percentage of live traffic to one deployment: "green=10".',
            ),
            ENDPOINT_WEB,
            *GENERIC_UPDATE,
            SUBSCRIPTION,
        ),
        examples=(
            (
                "Send 10% of the traffic to green",
                'az ml online-endpoint update -n my-endpoint --traffic "blue=90 green=10"',
            ),
        ),
    ),
    Command(
        "ml online-endpoint delete",
        "Delete an endpoint and all its deployments.",
        f"{_EP}:delete",
        (*WORKSPACE_SCOPE, _endpoint_name_option(True), _local("Delete a local endpoint."), NO_WAIT, YES, SUBSCRIPTION),
        confirmation=True,
    ),
    Command(
        "ml online-endpoint invoke",
        "Send a request to an endpoint and print the scoring answer.",
        f"{_EP}:invoke",
        (
            *WORKSPACE_SCOPE,
            _endpoint_name_option(True),
            Option(
                ("--request-file", "-r"),
                "request_file",
                "Local path to the JSON file with the request data.",
                is_path=True,
            ),
            Option(("--deployment-name", "-d"), "online_deployment_name", "Name of the deployment to target."),
            _local("Invoke a local endpoint."),
            SUBSCRIPTION,
        ),
        examples=(
            ("Invoke one deployment directly", "az ml online-endpoint invoke -n my-endpoint -d green -r request.json"),
        ),
    ),
    Command(
        "ml online-endpoint get-credentials",
        "List the keys or token of an endpoint.",
        f"{_EP}:get_credentials",
        (*WORKSPACE_SCOPE, _endpoint_name_option(True), SUBSCRIPTION),
    ),
    Command(
        "ml online-endpoint regenerate-keys",
        "Regenerate the primary or secondary key of an endpoint.",
        f"{_EP}:regenerate_keys",
        (
            *WORKSPACE_SCOPE,
            _endpoint_name_option(True),
            Option(("--key-type",), "key_type", "The key to regenerate: primary or secondary.", default="primary"),
            NO_WAIT,
            SUBSCRIPTION,
        ),
    ),
    # az ml online-deployment -------------------------------------------------------
    Command(
        "ml online-deployment create",
        "Create a deployment under an endpoint.",
        f"{_DEP}:create",
        (
            *WORKSPACE_SCOPE,
            Option(("--file", "-f"), "file", DEPLOYMENT_FILE_HELP, required=True, is_path=True),
            _deployment_endpoint_option(),
            _deployment_name_option(),
            _local("Create the deployment locally (needs Docker)."),
            Option(
                ("--local-enable-gpu",),
                "local_enable_gpu",
                "Enable GPU for a local deployment.",
                THREE_STATE,
                default=False,
            ),
            Option(
                ("--vscode-debug",),
                "vscode_debug",
                "Attach the VS Code debugger to a local deployment.",
                THREE_STATE,
                default=False,
            ),
            NO_WAIT,
            Option(
                ("--all-traffic",),
                "all_traffic",
                "Send 100% of the endpoint traffic to this deployment once created.",
                FLAG,
                default=False,
            ),
            SET_OVERRIDE,
            DEPLOYMENT_WEB,
            Option(
                ("--skip-script-validation",),
                "skip_script_validation",
                "Do not check the scoring script before submitting.",
                FLAG,
                default=False,
            ),
            Option(
                ("--package-model",),
                "package_model",
                "[Preview] Package the model into the environment.",
                FLAG,
                default=False,
            ),
            SUBSCRIPTION,
        ),
        examples=(
            (
                "Create a deployment and give it all traffic",
                "az ml online-deployment create -f blue-deployment.yml --all-traffic",
            ),
        ),
    ),
    Command(
        "ml online-deployment update",
        "Update a deployment: instance count, environment variables, code or model.",
        f"{_DEP}:update",
        (
            *WORKSPACE_SCOPE,
            _deployment_name_option(),
            _deployment_endpoint_option(),
            _local("Update a local deployment."),
            Option(
                ("--local-enable-gpu",),
                "local_enable_gpu",
                "Enable GPU for a local deployment.",
                THREE_STATE,
                default=False,
            ),
            Option(
                ("--vscode-debug",),
                "vscode_debug",
                "Re-attach the VS Code debugger to a local deployment.",
                THREE_STATE,
                default=False,
            ),
            NO_WAIT,
            Option(("--file", "-f"), "file", DEPLOYMENT_FILE_HELP, is_path=True),
            DEPLOYMENT_WEB,
            Option(
                ("--skip-script-validation",),
                "skip_script_validation",
                "Do not check the scoring script before submitting.",
                FLAG,
                default=False,
            ),
            *GENERIC_UPDATE,
            SUBSCRIPTION,
        ),
        examples=(
            (
                "Scale a deployment to two instances",
                "az ml online-deployment update -n blue -e my-endpoint --set instance_count=2",
            ),
        ),
    ),
    Command(
        "ml online-deployment show",
        "Show details for a deployment.",
        f"{_DEP}:show",
        (
            *WORKSPACE_SCOPE,
            _deployment_name_option(required=True),
            _deployment_endpoint_option(required=True),
            _local("Show a local deployment."),
            DEPLOYMENT_WEB,
            SUBSCRIPTION,
        ),
    ),
    Command(
        "ml online-deployment list",
        "List the deployments of an endpoint.",
        f"{_DEP}:list_",
        (
            *WORKSPACE_SCOPE,
            _deployment_endpoint_option(required=True),
            _local("List local deployments."),
            SUBSCRIPTION,
        ),
    ),
    Command(
        "ml online-deployment delete",
        "Delete a deployment.",
        f"{_DEP}:delete",
        (
            *WORKSPACE_SCOPE,
            _deployment_name_option(required=True),
            _deployment_endpoint_option(required=True),
            _local("Delete a local deployment."),
            NO_WAIT,
            YES,
            SUBSCRIPTION,
        ),
        confirmation=True,
    ),
    Command(
        "ml online-deployment get-logs",
        "Print the container logs of a deployment.",
        f"{_DEP}:get_logs",
        (
            *WORKSPACE_SCOPE,
            _deployment_name_option(required=True),
            _deployment_endpoint_option(required=True),
            Option(("--lines", "-l"), "lines", "The maximum number of lines to tail.", default=5000),
            Option(
                ("--container", "-c"), "container", "The container to read: inference-server or storage-initializer."
            ),
            _local("Read the logs of a local deployment."),
            SUBSCRIPTION,
        ),
    ),
    # az ml model ---------------------------------------------------------------------
    Command(
        "ml model create",
        "Create a model.",
        f"{_MODEL}:create",
        (
            *WORKSPACE_SCOPE,
            _asset_name("model"),
            _asset_version("model"),
            Option(
                ("--file", "-f"),
                "file",
                "Local path to the YAML file containing the Azure ML model specification.",
                is_path=True,
            ),
            Option(
                ("--path", "-p"),
                "path",
                "Path to the model file(s), local or remote. If specified, "
                "--name/-n and --version/-v must also be provided.",
            ),
            Option(("--type", "-t"), "model_type", "Type of the model: custom_model, mlflow_model or triton_model."),
            DESCRIPTION,
            TAGS,
            Option(("--stage", "-s"), "stage", "Stage of the model."),
            REGISTRY,
            SET_OVERRIDE,
            DATASTORE,
            NO_WAIT,
            SUBSCRIPTION,
        ),
        examples=(("Register a model from a YAML file", "az ml model create --file model.yml"),),
    ),
    Command(
        "ml model show",
        "Show details for a model.",
        f"{_MODEL}:show",
        (
            _asset_name("model", True),
            *WORKSPACE_SCOPE,
            REGISTRY,
            _asset_version("model"),
            _asset_label("model"),
            SUBSCRIPTION,
        ),
    ),
    Command(
        "ml model list",
        "List models in a workspace.",
        f"{_MODEL}:list_",
        (
            *WORKSPACE_SCOPE,
            Option(("--name", "-n"), "name", "Name of the model: list its versions."),
            Option(("--stage", "-s"), "stage", "Stage of the model."),
            MAX_RESULTS,
            *_archived_filters("models"),
            REGISTRY,
            SUBSCRIPTION,
        ),
    ),
    Command(
        "ml model archive",
        "Archive a model (all its versions when no version is given).",
        f"{_MODEL}:archive",
        (
            _asset_name("model", True),
            *WORKSPACE_SCOPE,
            REGISTRY,
            _asset_version("model"),
            _asset_label("model"),
            SUBSCRIPTION,
        ),
    ),
    Command(
        "ml model restore",
        "Restore an archived model.",
        f"{_MODEL}:restore",
        (
            _asset_name("model", True),
            *WORKSPACE_SCOPE,
            REGISTRY,
            _asset_version("model"),
            _asset_label("model"),
            SUBSCRIPTION,
        ),
    ),
    Command(
        "ml model download",
        "Download the files of a model.",
        f"{_MODEL}:download",
        (
            _asset_name("model", True),
            Option(("--version", "-v"), "version", "Version of the model.", required=True),
            *WORKSPACE_SCOPE,
            Option(
                ("--download-path", "-p"), "download_path", "Where to download the files; default: the current folder."
            ),
            REGISTRY,
            SUBSCRIPTION,
        ),
    ),
    # az ml environment ---------------------------------------------------------------
    Command(
        "ml environment create",
        "Create an environment.",
        f"{_ENVIRONMENT}:create",
        (
            *WORKSPACE_SCOPE,
            REGISTRY,
            Option(
                ("--file", "-f"),
                "file",
                "Local path to the YAML file containing the Azure ML environment specification.",
                is_path=True,
            ),
            _asset_name("environment"),
            _asset_version("environment"),
            TAGS,
            DESCRIPTION,
            Option(("--image", "-i"), "image", "Docker image."),
            Option(("--conda-file", "-c"), "conda_file", "Local path to a conda specification file.", is_path=True),
            Option(("--build-context", "-b"), "build_context", "Local path to a Docker build context."),
            Option(("--dockerfile-path", "-d"), "dockerfile_path", "Path of the Dockerfile in the build context."),
            Option(("--os-type",), "os_type", "Type of operating system: linux or windows."),
            DATASTORE,
            SET_OVERRIDE,
            Option(("--path", "-p"), "path", "Path of the environment asset in the workspace (registries only)."),
            SUBSCRIPTION,
        ),
        examples=(("Create an environment from a YAML file", "az ml environment create --file env.yml"),),
    ),
    Command(
        "ml environment show",
        "Show details for an environment.",
        f"{_ENVIRONMENT}:show",
        (
            _asset_name("environment", True),
            *WORKSPACE_SCOPE,
            REGISTRY,
            _asset_version("environment"),
            _asset_label("environment"),
            SUBSCRIPTION,
        ),
    ),
    Command(
        "ml environment list",
        "List environments in a workspace.",
        f"{_ENVIRONMENT}:list_",
        (
            *WORKSPACE_SCOPE,
            REGISTRY,
            Option(("--name", "-n"), "name", "Name of the environment: list its versions."),
            MAX_RESULTS,
            *_archived_filters("environments"),
            SUBSCRIPTION,
        ),
    ),
    Command(
        "ml environment archive",
        "Archive an environment (all its versions when no version is given).",
        f"{_ENVIRONMENT}:archive",
        (
            _asset_name("environment", True),
            *WORKSPACE_SCOPE,
            REGISTRY,
            _asset_version("environment"),
            _asset_label("environment"),
            SUBSCRIPTION,
        ),
    ),
    # az ml workspace -----------------------------------------------------------------
    Command(
        "ml workspace show",
        "Show details for a workspace.",
        f"{_WORKSPACE}:show",
        (
            RESOURCE_GROUP,
            Option(
                ("--name", "-n"),
                "name",
                "Name of the Azure ML workspace.",
                required=True,
                configured_default="workspace",
            ),
            SUBSCRIPTION,
        ),
    ),
    Command(
        "ml workspace list",
        "List the workspaces of a resource group.",
        f"{_WORKSPACE}:list_",
        (
            RESOURCE_GROUP,
            Option(("--filtered-kinds", "--kind"), "filtered_kinds", "Workspace kinds to list."),
            SUBSCRIPTION,
        ),
    ),
    # CLI core ------------------------------------------------------------------------
    Command(
        "configure",
        "Manage Azure CLI configuration.",
        f"{_CONFIGURE}:configure",
        (
            Option(
                ("--defaults", "-d"),
                "defaults",
                "Space-separated 'name=value' pairs for common argument defaults.",
                LIST,
            ),
            Option(
                ("--list-defaults", "-l"), "list_defaults", "List all applicable defaults.", THREE_STATE, default=False
            ),
            Option(("--scope",), "scope", "Scope of the defaults.", choices=("global", "local"), default="global"),
        ),
        examples=(("Set a default group and workspace", "az configure --defaults group=my-rg workspace=my-ws"),),
    ),
    Command(
        "version",
        "Show the versions of the CLI modules and extensions in JSON format.",
        f"{_EXTENSION}:version",
        (),
    ),
    Command(
        "login",
        "Log in to Azure. In an emulated workspace the emulator's service principal is already signed in; "
        "this prints its subscriptions, as the real command does after signing in.",
        f"{_ACCOUNT}:login",
        (
            Option(("--username", "-u"), "username", "User name, service principal, or managed service identity ID."),
            Option(("--password", "-p"), "password", "Credentials like a user password or a service principal secret."),
            Option(("--tenant", "-t"), "tenant", "The Microsoft Entra tenant."),
            Option(
                ("--service-principal",), "service_principal", "Log in with a service principal.", FLAG, default=False
            ),
            Option(("--identity",), "identity", "Log in using the virtual machine's identity.", FLAG, default=False),
            Option(("--use-device-code",), "use_device_code", "Use the device code flow.", FLAG, default=False),
            Option(
                ("--allow-no-subscriptions",),
                "allow_no_subscriptions",
                "Allow tenants without subscriptions.",
                FLAG,
                default=False,
            ),
            Option(("--scope",), "scope", "Used in the /authorize request."),
        ),
    ),
    Command(
        "account show",
        "Get the details of a subscription.",
        f"{_ACCOUNT}:show",
        (Option(("--name", "-n"), "account_name", "Name or ID of the subscription."), SUBSCRIPTION),
    ),
    Command(
        "account set",
        "Set a subscription to be the current active subscription.",
        f"{_ACCOUNT}:set_",
        (
            Option(
                ("--subscription", "-s", "--name", "-n"),
                "subscription",
                "Name or ID of the subscription.",
                required=True,
            ),
        ),
    ),
    Command(
        "account list",
        "Get a list of subscriptions for the logged in account.",
        f"{_ACCOUNT}:list_",
        (Option(("--all",), "all_", "List all subscriptions.", FLAG, default=False),),
    ),
    Command(
        "extension show",
        "Show an extension.",
        f"{_EXTENSION}:show",
        (Option(("--name", "-n"), "name", "Name of the extension.", required=True),),
    ),
    Command(
        "extension list",
        "List the installed extensions.",
        f"{_EXTENSION}:list_",
        (),
    ),
    Command(
        "account get-access-token",
        "Get a token for utilities to access Azure.",
        f"{_ACCOUNT}:get_access_token",
        (
            Option(("--subscription", "-s", "--name", "-n"), "subscription", "Name or ID of subscription."),
            Option(("--resource",), "resource", "Azure resource endpoints in Microsoft Entra ID v1.0."),
            Option(("--scope",), "scopes", "Space-separated scopes in Microsoft Entra ID v2.0.", LIST),
            Option(
                ("--resource-type",),
                "resource_type",
                "Type of well-known resource.",
                choices=("aad-graph", "arm", "batch", "data-lake", "media", "ms-graph", "oss-rdbms"),
            ),
            Option(("--tenant", "-t"), "tenant", "Tenant ID for which the token is acquired."),
        ),
        examples=(("Get a token for ARM", "az account get-access-token --query accessToken -o tsv"),),
    ),
    Command(
        "extension add",
        "Add an extension. The emulated CLI has the `ml` extension already; adding it again succeeds.",
        f"{_EXTENSION}:add",
        (
            Option(("--source", "-s"), "source", "Filepath or URL to an extension."),
            Option(("--name", "-n"), "name", "Name of the extension."),
            Option(("--index",), "index", "Base URL of the Python Package Index."),
            Option(("--allow-preview",), "allow_preview", "Include preview versions.", THREE_STATE, default=None),
            Option(("--pip-extra-index-urls",), "pip_extra_index_urls", "Extra index URLs.", LIST),
            Option(("--pip-proxy",), "pip_proxy", "Proxy for pip."),
            Option(("--system",), "system", "Use a system directory for the extension.", FLAG, default=False),
            Option(("--version",), "version", "The specific version of an extension."),
            Option(("--upgrade",), "upgrade", "Update the extension if already installed.", FLAG, default=False),
            YES,
        ),
    ),
    Command(
        "extension remove",
        "Remove an extension. The emulated `ml` extension stays: the command succeeds without removing it.",
        f"{_EXTENSION}:remove",
        (Option(("--name", "-n"), "name", "Name of the extension.", required=True),),
    ),
    Command(
        "extension update",
        "Update an extension. The emulated `ml` extension is always the latest.",
        f"{_EXTENSION}:update",
        (
            Option(("--name", "-n"), "name", "Name of the extension.", required=True),
            Option(("--index",), "index", "Base URL of the Python Package Index."),
            Option(("--pip-extra-index-urls",), "pip_extra_index_urls", "Extra index URLs.", LIST),
            Option(("--pip-proxy",), "pip_proxy", "Proxy for pip."),
            Option(("--allow-preview",), "allow_preview", "Include preview versions.", THREE_STATE, default=None),
        ),
    ),
    Command(
        "group show",
        "Get a resource group.",
        f"{_GROUP}:show",
        (
            Option(
                ("--name", "--resource-group", "-n", "-g"),
                "resource_group_name",
                "Name of resource group.",
                required=True,
                configured_default="group",
            ),
            SUBSCRIPTION,
        ),
    ),
    Command(
        "group list",
        "List resource groups.",
        f"{_GROUP}:list_",
        (Option(("--tag",), "tag", "A single tag in 'key[=value]' format."), SUBSCRIPTION),
    ),
    Command(
        "storage blob upload",
        "Upload a file to a storage blob.",
        f"{_BLOB}:upload",
        (
            Option(
                ("--file", "-f"),
                "file_path",
                "Path of the file to upload as the blob content.",
                required=True,
                is_path=True,
            ),
            CONTAINER,
            BLOB_NAME,
            Option(("--content-type",), "content_type", "The blob's content type."),
            OVERWRITE,
            NO_PROGRESS,
            *STORAGE_ACCOUNT,
            SUBSCRIPTION,
        ),
    ),
    Command(
        "storage blob upload-batch",
        "Upload files from a local directory to a blob container.",
        f"{_BLOB}:upload_batch",
        (
            Option(
                ("--source", "-s"), "source", "The directory where the files to be uploaded are located.", required=True
            ),
            Option(
                ("--destination", "-d"),
                "destination",
                "The blob container where the files will be uploaded "
                "(a container name, optionally followed by /path, or its URL).",
                required=True,
            ),
            Option(
                ("--destination-path",),
                "destination_path",
                "The destination path that will be prepended to the blob name.",
            ),
            Option(("--pattern",), "pattern", "The pattern used for globbing files to upload."),
            Option(
                ("--dryrun",),
                "dryrun",
                "Show the summary of the operations to be taken instead of actually uploading the file(s).",
                FLAG,
                default=False,
            ),
            OVERWRITE,
            NO_PROGRESS,
            *STORAGE_ACCOUNT,
            SUBSCRIPTION,
        ),
        examples=(
            (
                "Upload a folder under a path of a container",
                "az storage blob upload-batch -d mycontainer/score -s ./src --account-name myaccount",
            ),
        ),
    ),
    Command(
        "storage blob download",
        "Download a blob to a file path.",
        f"{_BLOB}:download",
        (
            CONTAINER,
            BLOB_NAME,
            Option(("--file", "-f"), "file_path", "Path of file to write out to."),
            Option(("--overwrite",), "overwrite", "Overwrite an existing file.", THREE_STATE, default=None),
            NO_PROGRESS,
            *STORAGE_ACCOUNT,
            SUBSCRIPTION,
        ),
    ),
    Command(
        "storage blob list",
        "List blobs in a given container.",
        f"{_BLOB}:list_",
        (
            CONTAINER,
            Option(("--prefix",), "prefix", "Filter the results to return only blobs whose name begins with it."),
            Option(("--num-results",), "num_results", "Number of blobs to return (default 5000).", default="5000"),
            Option(
                ("--show-next-marker",), "show_next_marker", "Show the next marker in the result.", FLAG, default=False
            ),
            Option(("--marker",), "marker", "The continuation marker of a previous listing."),
            *STORAGE_ACCOUNT,
            SUBSCRIPTION,
        ),
    ),
)

COMMANDS_BY_NAME: dict[str, Command] = {command.name: command for command in COMMANDS}

# The 2021 preview `az ml endpoint` surface, removed in the November 2021 refresh.
REMOVED: dict[str, RemovedCommand] = {
    r.name: r
    for r in (
        RemovedCommand(
            "ml endpoint",
            "ml online-endpoint",
            "`az ml endpoint` was replaced by `az ml online-endpoint` and `az ml online-deployment` in the CLI v2 refresh of November 2021",
        ),
        RemovedCommand(
            "ml endpoint create",
            "ml online-endpoint create",
            "deployments are created separately with `az ml online-deployment create`",
        ),
        RemovedCommand(
            "ml endpoint update",
            "ml online-endpoint update",
            "deployments are created or updated with `az ml online-deployment create/update`",
        ),
        RemovedCommand(
            "ml endpoint show", "ml online-endpoint show", "deployments are shown with `az ml online-deployment show`"
        ),
        RemovedCommand("ml endpoint list", "ml online-endpoint list", ""),
        RemovedCommand(
            "ml endpoint delete",
            "ml online-endpoint delete",
            "one deployment is deleted with `az ml online-deployment delete`",
        ),
        RemovedCommand("ml endpoint invoke", "ml online-endpoint invoke", "`--deployment` is now `--deployment-name`"),
        RemovedCommand("ml endpoint get-logs", "ml online-deployment get-logs", ""),
        RemovedCommand("ml endpoint get-credentials", "ml online-endpoint get-credentials", ""),
        RemovedCommand("ml endpoint list-keys", "ml online-endpoint get-credentials", ""),
        RemovedCommand("ml endpoint log", "ml online-deployment get-logs", ""),
    )
}
