"""The throwaway certificate authority of one state folder.

Clients trust the emulator through `REQUESTS_CA_BUNDLE` and friends, so each state
folder gets its own CA and one leaf certificate whose names cover every host the
emulator answers for: loopback (direct mode) and the real Azure host names that the
proxy terminates TLS for. The CA key never leaves the folder and is owner-only.

`cryptography` is imported only when the files do not exist yet; a restart reuses them.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path

REAL_HOSTS = (
    "management.azure.com",
    "login.microsoftonline.com",
    "*.blob.core.windows.net",
    "ml.azure.com",  # the studio's API front door (regional model management under /api/<region>/)
    "*.api.azureml.ms",  # the regional data-plane hosts
)


@dataclass(frozen=True)
class CertificateFiles:
    ca_cert: Path  # what clients trust
    leaf_cert: Path  # leaf followed by the CA, for the server
    leaf_key: Path


def inference_host_pattern(region: str) -> str:
    """A wildcard covers one DNS label, so each region needs its own name."""
    return f"*.{region}.inference.ml.azure.com"


def ensure_certificates(folder: Path, regions: tuple[str, ...]) -> CertificateFiles:
    """Create the CA and the leaf in `folder` unless they already exist."""
    files = CertificateFiles(folder / "ca.pem", folder / "server.pem", folder / "server-key.pem")
    if files.ca_cert.exists() and files.leaf_cert.exists() and files.leaf_key.exists():
        return files
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    _create(files, regions)
    return files


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _create(files: CertificateFiles, regions: tuple[str, ...]) -> None:
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.UTC)
    start, end = now - datetime.timedelta(days=1), now + datetime.timedelta(days=3650)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "amlemu local CA")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    names: list[x509.GeneralName] = [
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        x509.DNSName("localhost"),
        *(x509.DNSName(host) for host in REAL_HOSTS),
        *(x509.DNSName(inference_host_pattern(region)) for region in regions),
    ]
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "amlemu")]))
        .issuer_name(ca_name)
        .public_key(leaf_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    pem = serialization.Encoding.PEM
    no_password = serialization.NoEncryption()
    key_format = serialization.PrivateFormat.PKCS8
    _write_private(files.leaf_key, leaf_key.private_bytes(pem, key_format, no_password))
    _write_private(files.ca_cert.with_name("ca-key.pem"), ca_key.private_bytes(pem, key_format, no_password))
    files.leaf_cert.write_bytes(leaf.public_bytes(pem) + ca_cert.public_bytes(pem))
    files.ca_cert.write_bytes(ca_cert.public_bytes(pem))
