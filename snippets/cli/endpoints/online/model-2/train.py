"""Train model-2, the version the green deployment serves.

A gradient-boosted tree ensemble on the same data as model-1 (scikit-learn's diabetes
data set, unscaled features, the first two patients left out because they are the rows
of sample-request.json). It is a different algorithm on purpose: for the same request it
answers with different numbers, so you can tell which deployment served a call.

Run it from this folder to rebuild model/sklearn_regression_model.pkl:

    python train.py

The random state is fixed, so every run writes a model that predicts the same values.
"""

from pathlib import Path

import joblib
from sklearn.datasets import load_diabetes
from sklearn.ensemble import GradientBoostingRegressor

HELD_OUT = 2  # rows of sample-request.json
SEED = 0
MODEL_FILE = Path(__file__).resolve().parent / "model" / "sklearn_regression_model.pkl"


def main() -> None:
    features, target = load_diabetes(return_X_y=True, scaled=False)
    model = GradientBoostingRegressor(
        n_estimators=100, max_depth=2, learning_rate=0.1, random_state=SEED
    ).fit(features[HELD_OUT:], target[HELD_OUT:])
    MODEL_FILE.parent.mkdir(exist_ok=True)
    joblib.dump(model, MODEL_FILE)
    predictions = model.predict(features[:HELD_OUT])
    print(f"wrote {MODEL_FILE.name}: R^2 on the training rows {model.score(features[HELD_OUT:], target[HELD_OUT:]):.3f}")
    print(f"held-out patients: predicted {[round(float(p), 2) for p in predictions]}, observed {target[:HELD_OUT].tolist()}")


if __name__ == "__main__":
    main()
