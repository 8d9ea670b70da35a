"""The scoring script of MLflow models deployed without code.

Runs inside the deployment's environment (mlflow, pandas and the inference
server are there). The contract is the one Azure documents for MLflow models on
online endpoints: the JSON body holds `input_data`, as a pandas DataFrame in the
split orientation (`columns`, `index`, `data`), as a list (a tensor), or as a
dictionary of lists (named tensors); `params` are passed to `predict` when the
model accepts them. The answer is the predictions as JSON. A body without
`input_data` gets 400 with the message Azure's documentation gives.
"""

import json
import os

import numpy as np
import pandas as pd
from azureml_inference_server_http.api.aml_response import AMLResponse
from mlflow.pyfunc import load_model

MISSING_INPUT_DATA = "Request must contain a top level key named 'input_data'"
model = None


def init():
    global model
    folder = os.path.join(os.environ["AZUREML_MODEL_DIR"], os.environ.get("MLFLOW_MODEL_FOLDER", ""))
    model = load_model(folder)


def run(raw_data):
    try:
        request = json.loads(raw_data)
    except ValueError as exc:
        return AMLResponse(f"The request body is not valid JSON: {exc}", 400)
    if not isinstance(request, dict) or "input_data" not in request:
        return AMLResponse(MISSING_INPUT_DATA, 400)
    try:
        model_input = parse_input(request["input_data"])
    except (ValueError, TypeError) as exc:
        return AMLResponse(f"The input_data could not be read: {exc}", 400)
    params = request.get("params")
    predictions = model.predict(model_input, params=params) if params else model.predict(model_input)
    return jsonable(predictions)


def _tensor_based():
    schema = model.metadata.get_input_schema()
    return schema is not None and schema.is_tensor_spec()


def _column_names():
    schema = model.metadata.get_input_schema()
    return schema.input_names() if schema is not None and schema.has_input_names() else None


def parse_input(data):
    if isinstance(data, dict) and "data" in data:  # a DataFrame in the split orientation
        return pd.DataFrame(data=data["data"], columns=data.get("columns"), index=data.get("index"))
    if isinstance(data, dict):  # named tensors
        if _tensor_based():
            return {name: np.asarray(value) for name, value in data.items()}
        return pd.DataFrame(data)
    if isinstance(data, list):  # a tensor
        if _tensor_based():
            return np.asarray(data)
        columns = _column_names()
        rows = data if data and isinstance(data[0], list) else [data]
        if columns is not None and all(len(row) == len(columns) for row in rows):
            return pd.DataFrame(rows, columns=columns)
        return pd.DataFrame(rows)
    raise ValueError("expected a DataFrame in the split orientation, a list, or a dictionary of lists")


def jsonable(predictions):
    if isinstance(predictions, pd.DataFrame):
        return predictions.to_dict(orient="records")
    if isinstance(predictions, (pd.Series, np.ndarray)):
        return predictions.tolist()
    if isinstance(predictions, dict):
        return {key: jsonable(value) for key, value in predictions.items()}
    return predictions
