"""Scoring script for model-2, the gradient-boosted trees that the green deployment serves.

The inference server calls init() once when a worker starts and run() for every
request. The request body is JSON, {"data": [[10 numbers], ...]}: one row per patient,
features in the order of scikit-learn's diabetes data set (age, sex, bmi, bp, s1-s6).
The answer is a JSON list with one predicted disease-progression score per row.

print() is the logging channel: the server writes each printed line to the container
log (prefixed "azmlinfsrv.print"), which is what `az ml online-deployment get-logs` shows.
"""

import json
import os

import joblib
import numpy as np
from azureml_inference_server_http.api.aml_response import AMLResponse

FEATURES = 10
model = None


def init():
    """Load the model once per worker.

    Azure ML copies the deployment's model folder under AZUREML_MODEL_DIR and keeps its
    base name, so the file is at $AZUREML_MODEL_DIR/model/sklearn_regression_model.pkl.
    """
    global model
    model_path = os.path.join(os.environ["AZUREML_MODEL_DIR"], "model", "sklearn_regression_model.pkl")
    model = joblib.load(model_path)
    print(f"Loaded {type(model).__name__} from {model_path}")


def run(raw_data):
    """Predict one score per row; answer 400 with the reason when the body is unusable."""
    try:
        rows = np.asarray(json.loads(raw_data)["data"], dtype=float)
    except (ValueError, KeyError, TypeError) as error:
        print(f"Rejected a request that is not {{'data': [[...], ...]}}: {error!r}")
        return AMLResponse({"error": 'Expected a JSON body {"data": [[10 numbers], ...]}.'}, 400, json_str=True)
    if rows.ndim != 2 or rows.shape[1] != FEATURES:
        print(f"Rejected a request with shape {list(rows.shape)}")
        return AMLResponse({"error": f"Each row needs {FEATURES} numbers; got shape {list(rows.shape)}."}, 400, json_str=True)
    predictions = [round(float(value), 2) for value in model.predict(rows)]
    print(f"Scored {len(rows)} rows with {type(model).__name__}: {predictions}")
    return predictions
