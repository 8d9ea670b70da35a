"""How errors reach the user: the `ml` extension's classification, then the CLI core's rendering.

Two stages, as in the real CLI:

1. `classify_ml_error` (what the extension's `log_and_raise_error` does): service
   errors pass through, SDK validation errors become the SDK's formatted block,
   anything unexpected becomes "Met error <class ...>:<message>" plus a hint line.
2. `handle_exception` (what azure-cli-core does with what is raised): `ERROR: ...`
   on stderr, exit 3 for an HTTP 404, 1 otherwise.

One deliberate difference: where the real CLI prints a Python traceback for an
unexpected error, we print its message only (the traceback with `--debug`).
"""

from __future__ import annotations

import sys
import traceback

from jmespath.exceptions import JMESPathError
from knack.log import get_logger
from knack.util import CLIError

logger = get_logger(__name__)

DEBUG_HINT = "Please check log by running the command with '--debug' for more details."


def met_error(error: BaseException) -> CLIError:
    return CLIError(f"Met error {type(error)}:{error}\n{DEBUG_HINT}")


def classify_ml_error(error: BaseException, yaml_operation: bool = False) -> BaseException:
    """The exception the `ml` extension would raise for `error` (its `log_and_raise_error`)."""
    from azure.ai.ml._exception_helper import format_create_validation_error
    from azure.ai.ml.exceptions import ValidationErrorType, ValidationException
    from azure.core.exceptions import AzureError, HttpResponseError
    from marshmallow.exceptions import ValidationError as SchemaValidationError

    if isinstance(error, HttpResponseError):
        return error
    if isinstance(error, SchemaValidationError):
        try:
            return CLIError(format_create_validation_error(error.messages[0], yaml_operation=yaml_operation, cli=True))
        except (NotImplementedError, KeyError):
            return error
    if isinstance(error, ValidationException):
        if error.error_type == ValidationErrorType.GENERIC:
            return error
        try:
            return CLIError(
                format_create_validation_error(
                    error, yaml_operation=yaml_operation, cli=True, raw_error=error.raw_error
                )
            )
        except NotImplementedError:
            return error
    if isinstance(error, (CLIError, AzureError, KeyboardInterrupt)):
        return error
    if isinstance(error, JMESPathError):
        return error
    return met_error(error)


def _status_code(error: BaseException) -> int | None:
    code = getattr(error, "status_code", None)
    if code is None:
        response = getattr(error, "response", None)
        code = getattr(response, "status_code", None)
    return code if isinstance(code, int) else None


def handle_exception(error: BaseException, debug: bool = False) -> int:
    """Print `error` as azure-cli-core does and return the exit code."""
    if debug:
        logger.debug("".join(traceback.format_exception(error)))
    if isinstance(error, KeyboardInterrupt):
        return 1
    if isinstance(error, CLIError):
        logger.error(error)
        return 1
    if isinstance(error, JMESPathError):
        logger.error("Invalid jmespath query supplied for `--query`: %s", error)
        return 1
    azure_error = _azure_error_types()
    if azure_error and isinstance(error, azure_error):
        logger.error(str(error))
        return 3 if _status_code(error) == 404 else 1
    logger.error("The command failed with an unexpected error. Here is the traceback:")
    logger.error(error)
    if debug:
        traceback.print_exception(error, file=sys.stderr)
    return 1


def _azure_error_types() -> tuple[type, ...]:
    """azure-core's error base, if the SDK is loaded (it is whenever an `ml` command ran)."""
    module = sys.modules.get("azure.core.exceptions")
    if module is None:
        return ()
    return (module.AzureError,)
