"""Alembic migrations of the local store (``gp_local``); run by :func:`gradpath.local_schema.ensure_local_store`."""
