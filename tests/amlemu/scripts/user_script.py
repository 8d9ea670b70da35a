"""A user's script as a tutorial would have it: nothing in it knows about the emulator."""

import os
import sys

from azure.ai.ml import MLClient
from azure.ai.ml.entities import ManagedOnlineEndpoint
from azure.identity import DefaultAzureCredential

ml_client = MLClient(
    DefaultAzureCredential(),
    os.environ["AZURE_SUBSCRIPTION_ID"],
    os.environ["AZURE_RESOURCE_GROUP"],
    os.environ["AZUREML_WORKSPACE_NAME"],
)
endpoint = ml_client.online_endpoints.begin_create_or_update(ManagedOnlineEndpoint(name=sys.argv[1])).result()
print("created", endpoint.name, endpoint.provisioning_state == "Succeeded", endpoint.scoring_uri)
print("listed", [e.name for e in ml_client.online_endpoints.list()])
sys.exit(int(sys.argv[2]) if len(sys.argv) > 2 else 0)
