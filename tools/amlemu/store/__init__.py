"""Persistence: SQLite for resources and operations (`resources.py`), files for blobs (`blobs.py`)."""
