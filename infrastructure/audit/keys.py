"""Ed25519 signing keys kept outside the database, and checkpoint files and exports signed with them."""

from __future__ import annotations

import base64
import json
import os
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from application.audit.checkpoints import FORMAT, Checkpoint


class KeyFileError(Exception):
    """A key or checkpoint file that cannot be read, or a signature that does not verify."""


class BadSignatureError(KeyFileError):
    """The key was read; the signature is not its signature of the data (the data or it was changed)."""


def public_key_path(private_key: Path) -> Path:
    return private_key.with_name(private_key.name + ".pub")


def generate_key(out: Path) -> Path:
    """Write a new private key (mode 0600, never overwritten) and its public key beside it."""
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    out.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # e.g. ~/keys, the first time
    try:
        descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeyFileError(f"{out} already exists; refusing to overwrite a signing key") from None
    with os.fdopen(descriptor, "wb") as file:
        file.write(private_pem)
    public = public_key_path(out)
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return public


def signing_key(private_key: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(_read(private_key), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise KeyFileError(f"{private_key} is not a PEM private key without a passphrase") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{private_key} is not an Ed25519 private key")
    return key


def sign(checkpoint: Checkpoint, private_key: Path) -> Checkpoint:
    signature = signing_key(private_key).sign(checkpoint.message())
    return Checkpoint(checkpoint.position, checkpoint.hash, checkpoint.signed_at, signature)


def require_valid_signature(checkpoint: Checkpoint, public_key: Path) -> None:
    require_signed(checkpoint.message(), checkpoint.signature, public_key, "the checkpoint")


def require_signed(data: bytes, signature: bytes, public_key: Path, what: str) -> None:
    """KeyFileError unless `signature` is `public_key`'s Ed25519 signature of exactly `data`."""
    try:
        key = serialization.load_pem_public_key(_read(public_key))
    except (ValueError, UnsupportedAlgorithm):
        raise KeyFileError(f"{public_key} is not a PEM public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(f"{public_key} is not an Ed25519 public key")
    try:
        key.verify(signature, data)
    except InvalidSignature:
        raise BadSignatureError(f"{what}'s signature is not valid for this public key") from None


def write_checkpoint(checkpoint: Checkpoint, out: Path) -> None:
    document = {
        "format": FORMAT,
        "position": checkpoint.position,
        "hash": checkpoint.hash.hex(),
        "signed_at": checkpoint.signed_at.isoformat(),
        "signature": base64.b64encode(checkpoint.signature).decode(),
    }
    out.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def read_checkpoint(path: Path) -> Checkpoint:
    try:
        document = json.loads(_read(path))
        if document["format"] != FORMAT:
            raise ValueError(f"format {document['format']!r}")
        return Checkpoint(
            position=int(document["position"]),
            hash=bytes.fromhex(document["hash"]),
            signed_at=datetime.fromisoformat(document["signed_at"]),
            signature=base64.b64decode(document["signature"], validate=True),
        )
    except (ValueError, KeyError, TypeError) as error:
        raise KeyFileError(f"{path} is not a hotline checkpoint: {error}") from None


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise KeyFileError(f"cannot read {path}: {error.strerror}") from None
