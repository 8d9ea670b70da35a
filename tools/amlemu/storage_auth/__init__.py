"""Who may use the emulated Blob service: the checks Azure Storage makes before any operation.

shared_key.py   the SharedKey string-to-sign, and its check against the account key
sas.py          service and account shared access signatures: signing, checking, permissions
operations.py   which permission and resource type each Blob operation needs
check.py        the decision for one request, whichever credential it carries
"""
