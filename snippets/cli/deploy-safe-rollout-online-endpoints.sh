#!/usr/bin/env bash
set -e

# Safe rollout for online endpoints: the steps of the article, in order.
# Each state of the endpoint is a numbered YAML file under
# endpoints/online/managed/safe-rollout/; the commands apply them one by one.
# Paths are relative to the cli/ folder, so the script moves there first.
cd "$(dirname "$0")"

# <az_version>
az version
# </az_version>

# <az_ml_verify>
az extension show --name ml --query version --output tsv
# </az_ml_verify>

# The defaults must already point at a workspace. The script re-applies the ones it
# finds, so running it never changes anybody's CLI configuration.
RESOURCE_GROUP=$(az configure --list-defaults --query "[?name=='group'].value" --output tsv)
WORKSPACE=$(az configure --list-defaults --query "[?name=='workspace'].value" --output tsv)
if [ -z "$RESOURCE_GROUP" ] || [ -z "$WORKSPACE" ]; then
  echo "No default resource group or workspace: run 'az configure --defaults group=NAME workspace=NAME' first." >&2
  exit 1
fi

# <set_defaults>
az configure --defaults group="$RESOURCE_GROUP" workspace="$WORKSPACE"
# </set_defaults>

# <show_defaults>
az configure --list-defaults --output table
# </show_defaults>

# <create_endpoint>
ENDPOINT_NAME=$(az ml online-endpoint create --file endpoints/online/managed/safe-rollout/1-endpoint.yml --query name --output tsv)
# </create_endpoint>
echo "Created endpoint $ENDPOINT_NAME"

# <create_blue>
az ml online-deployment create --file endpoints/online/managed/safe-rollout/2-blue-deployment.yml --all-traffic
# </create_blue>

# <test_blue>
az ml online-endpoint invoke --name "$ENDPOINT_NAME" --request-file endpoints/online/model-1/sample-request.json
# </test_blue>

# <scale_blue>
az ml online-deployment update --file endpoints/online/managed/safe-rollout/3-scale-blue.yml
# </scale_blue>

# <create_green>
az ml online-deployment create --file endpoints/online/managed/safe-rollout/4-green-deployment.yml
# </create_green>

# <get_traffic>
az ml online-endpoint show --name "$ENDPOINT_NAME" --query traffic
# </get_traffic>

# <test_green>
az ml online-endpoint invoke --name "$ENDPOINT_NAME" --deployment-name green --request-file endpoints/online/model-2/sample-request.json
# </test_green>

# <get_green_logs>
az ml online-deployment get-logs --name green --endpoint-name "$ENDPOINT_NAME" --lines 20
# </get_green_logs>

# <get_endpoint_key>
ENDPOINT_KEY=$(az ml online-endpoint get-credentials --name "$ENDPOINT_NAME" --query primaryKey --output tsv)
# </get_endpoint_key>

# <get_scoring_uri>
SCORING_URI=$(az ml online-endpoint show --name "$ENDPOINT_NAME" --query scoring_uri --output tsv)
# </get_scoring_uri>

# <test_green_using_curl>
curl --fail-with-body --silent --show-error --request POST "$SCORING_URI" \
  --header "Authorization: Bearer $ENDPOINT_KEY" \
  --header "Content-Type: application/json" \
  --header "azureml-model-deployment: green" \
  --data @endpoints/online/model-2/sample-request.json
# </test_green_using_curl>
echo

# <mirror_green>
az ml online-endpoint update --name "$ENDPOINT_NAME" --mirror-traffic "green=10"
# </mirror_green>

# <reset_mirror_traffic>
az ml online-endpoint update --name "$ENDPOINT_NAME" --mirror-traffic "green=0"
# </reset_mirror_traffic>

# <green_10pct_traffic>
az ml online-endpoint update --file endpoints/online/managed/safe-rollout/5-flight-green.yml
# </green_10pct_traffic>

# <green_100pct_traffic>
az ml online-endpoint update --file endpoints/online/managed/safe-rollout/6-full-green.yml
# </green_100pct_traffic>

# <delete_blue>
az ml online-deployment delete --name blue --endpoint-name "$ENDPOINT_NAME" --yes
# </delete_blue>

# <delete_endpoint>
az ml online-endpoint delete --name "$ENDPOINT_NAME" --yes --no-wait
# </delete_endpoint>
