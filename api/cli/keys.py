"""`hotline keys create|list|revoke`: API keys, shown once and stored only as hashes."""

from __future__ import annotations

import argparse

from api.cli.errors import CliError
from api.cli.opening import existing_store
from application.handling import utc_now
from application.keys import KeyNameError, KeyRing
from domain.values import Role
from infrastructure.services import open_services
from infrastructure.settings import Settings

ROLES = [role.value for role in Role if role is not Role.SYSTEM]


def register(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommands.add_parser("keys", help="create, list and revoke API keys")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="create a key; prints it alone on the last line, once")
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("--unit", action="append", default=[], help="a unit the key acts for (repeatable)")
    create.add_argument("--name", default="", help="a name recorded as the actor of its events")
    create.set_defaults(handler=create_key)
    listing = actions.add_parser("list", help="list keys (never their secrets)")
    listing.set_defaults(handler=list_keys)
    revoke = actions.add_parser("revoke", help="revoke a key by its id or name")
    revoke.add_argument("key", help="the key's id or name")
    revoke.set_defaults(handler=revoke_key)


def _ring() -> KeyRing:
    settings = Settings()
    existing_store(settings)  # a key made in a new, empty store would never open the deployment's API
    return open_services(settings).keys


def create_key(args: argparse.Namespace) -> int:
    role = Role(args.role)
    units = tuple(unit.strip() for unit in args.unit)
    if role is Role.WORKER and not units:
        raise CliError("a worker key needs at least one --unit")
    if not all(units):
        raise CliError("--unit needs the unit's name, e.g. --unit 明星社区居委会")
    try:
        key, secret = _ring().issue(role, units, args.name.strip(), utc_now())
    except KeyNameError as error:
        raise CliError(str(error)) from None
    print(f"created {key.role.value} key {key.id} named {key.name}; units: {', '.join(key.units) or '-'}")
    print("the key is shown this once; keep it secret:")
    print(secret)
    return 0


def list_keys(args: argparse.Namespace) -> int:
    zone = Settings().zone
    for key in _ring().all():
        revoked = key.revoked_at
        state = (
            "active"
            if revoked is None
            else f"revoked {revoked.astimezone(zone).isoformat(timespec='minutes')}"
        )
        print(f"{key.id}\t{key.name}\t{key.role.value}\t{','.join(key.units) or '-'}\t{state}")
    return 0


def revoke_key(args: argparse.Namespace) -> int:
    try:
        revoked = _ring().revoke(args.key, utc_now())
    except KeyNameError as error:
        raise CliError(str(error)) from None
    if not revoked:
        raise CliError(f"no active key {args.key!r}")
    print(f"revoked {args.key}")
    return 0
