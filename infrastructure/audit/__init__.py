"""The chained event recorders, the signing keys and the readers behind verification and export."""
