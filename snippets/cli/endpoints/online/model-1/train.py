"""Train model-1, the version the blue deployment serves.

A linear regression on scikit-learn's diabetes data set (442 patients, 10 features:
age, sex, body-mass index, blood pressure and six blood serum measurements; the target
is a measure of disease progression one year later). The features are used unscaled so
that sample-request.json reads like patient records.

The first two patients are left out of training: they are the two rows of
sample-request.json, so the endpoint is asked about patients the model has not seen.

Run it from this folder to rebuild model/sklearn_regression_model.pkl:

    python train.py

Nothing here is random, so every run writes a model that predicts the same values.
"""

from pathlib import Path

import joblib
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression

HELD_OUT = 2  # rows of sample-request.json
MODEL_FILE = Path(__file__).resolve().parent / "model" / "sklearn_regression_model.pkl"


def main() -> None:
    features, target = load_diabetes(return_X_y=True, scaled=False)
    model = LinearRegression().fit(features[HELD_OUT:], target[HELD_OUT:])
    MODEL_FILE.parent.mkdir(exist_ok=True)
    joblib.dump(model, MODEL_FILE)
    predictions = model.predict(features[:HELD_OUT])
    print(f"wrote {MODEL_FILE.name}: R^2 on the training rows {model.score(features[HELD_OUT:], target[HELD_OUT:]):.3f}")
    print(f"held-out patients: predicted {[round(float(p), 2) for p in predictions]}, observed {target[:HELD_OUT].tolist()}")


if __name__ == "__main__":
    main()
