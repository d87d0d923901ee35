"""Every subcommand of `hotline`, each registered by the module that implements it."""

from __future__ import annotations

import argparse
from collections.abc import Callable

Register = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]


def _registry() -> list[Register]:
    from api.cli import audit, demo, keys, projections, replay, serve, worker

    return [
        serve.register,
        keys.register,
        demo.register,
        replay.register,
        worker.register,
        projections.register,
        audit.register,
    ]


REGISTRY: list[Register] = _registry()
