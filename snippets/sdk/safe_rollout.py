"""Safe rollout for online endpoints with the Azure Machine Learning Python SDK v2.

The same steps as cli/deploy-safe-rollout-online-endpoints.sh, applying the same
numbered YAML files, so the CLI and the SDK tabs of the article describe one flow.
The workspace is named by three environment variables: AZURE_SUBSCRIPTION_ID,
AZURE_RESOURCE_GROUP and AZUREML_WORKSPACE_NAME. DefaultAzureCredential finds the
identity (an `az login` session, environment variables or a managed identity).
"""

# <connect>
import os

from azure.ai.ml import MLClient, load_online_deployment, load_online_endpoint
from azure.identity import DefaultAzureCredential

ml_client = MLClient(
    DefaultAzureCredential(),
    subscription_id=os.environ["AZURE_SUBSCRIPTION_ID"],
    resource_group_name=os.environ["AZURE_RESOURCE_GROUP"],
    workspace_name=os.environ["AZUREML_WORKSPACE_NAME"],
)
# </connect>

# The YAML paths below are relative to the cli/ folder, as in the CLI script.
os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "cli"))

# <create_endpoint>
endpoint = load_online_endpoint(source="endpoints/online/managed/safe-rollout/1-endpoint.yml")
endpoint = ml_client.online_endpoints.begin_create_or_update(endpoint).result()
print(f"Created endpoint {endpoint.name}")
# </create_endpoint>

# <create_blue>
blue = load_online_deployment(source="endpoints/online/managed/safe-rollout/2-blue-deployment.yml")
ml_client.online_deployments.begin_create_or_update(blue).result()
endpoint.traffic = {"blue": 100}
endpoint = ml_client.online_endpoints.begin_create_or_update(endpoint).result()
# </create_blue>

# <test_blue>
print(ml_client.online_endpoints.invoke(
    endpoint_name=endpoint.name,
    request_file="endpoints/online/model-1/sample-request.json",
))
# </test_blue>

# <scale_blue>
blue = load_online_deployment(source="endpoints/online/managed/safe-rollout/3-scale-blue.yml")
ml_client.online_deployments.begin_create_or_update(blue).result()
# </scale_blue>

# <create_green>
green = load_online_deployment(source="endpoints/online/managed/safe-rollout/4-green-deployment.yml")
ml_client.online_deployments.begin_create_or_update(green).result()
# </create_green>

# <get_traffic>
print(ml_client.online_endpoints.get(name=endpoint.name).traffic)
# </get_traffic>

# <test_green>
print(ml_client.online_endpoints.invoke(
    endpoint_name=endpoint.name,
    deployment_name="green",
    request_file="endpoints/online/model-2/sample-request.json",
))
# </test_green>

# <get_green_logs>
print(ml_client.online_deployments.get_logs(name="green", endpoint_name=endpoint.name, lines=20))
# </get_green_logs>

# <test_green_using_requests>
import json

import requests

key = ml_client.online_endpoints.get_keys(name=endpoint.name).primary_key
scoring_uri = ml_client.online_endpoints.get(name=endpoint.name).scoring_uri
with open("endpoints/online/model-2/sample-request.json", encoding="utf-8") as request_file:
    payload = json.load(request_file)
response = requests.post(
    scoring_uri,
    json=payload,
    headers={"Authorization": f"Bearer {key}", "azureml-model-deployment": "green"},
    timeout=90,
)
response.raise_for_status()
print(response.json())
# </test_green_using_requests>

# <mirror_green>
endpoint = ml_client.online_endpoints.get(name=endpoint.name)
endpoint.mirror_traffic = {"green": 10}
endpoint = ml_client.online_endpoints.begin_create_or_update(endpoint).result()
# </mirror_green>

# <reset_mirror_traffic>
endpoint.mirror_traffic = {}
endpoint = ml_client.online_endpoints.begin_create_or_update(endpoint).result()
# </reset_mirror_traffic>

# <green_10pct_traffic>
endpoint = load_online_endpoint(source="endpoints/online/managed/safe-rollout/5-flight-green.yml")
endpoint = ml_client.online_endpoints.begin_create_or_update(endpoint).result()
# </green_10pct_traffic>

# <green_100pct_traffic>
endpoint = load_online_endpoint(source="endpoints/online/managed/safe-rollout/6-full-green.yml")
endpoint = ml_client.online_endpoints.begin_create_or_update(endpoint).result()
# </green_100pct_traffic>

# <delete_blue>
ml_client.online_deployments.begin_delete(name="blue", endpoint_name=endpoint.name).result()
# </delete_blue>

# <delete_endpoint>
ml_client.online_endpoints.begin_delete(name=endpoint.name).result()
# </delete_endpoint>
