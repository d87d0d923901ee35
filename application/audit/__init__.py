"""Tamper evidence: the hash chain over the event store, its verification, checkpoints and exports."""
