"""Migration scripts of the local store, one per revision."""
