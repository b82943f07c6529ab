"""Alembic environment for the local store.

GradPath runs Alembic programmatically (:func:`gradpath.local_schema.ensure_local_store`): the caller
passes an open connection and the real name of the local schema in ``config.attributes``, so the
version table lives in the local schema beside the tables it versions, never in the catalog.
"""

from __future__ import annotations

from alembic import context

from gradpath.local_schema import local_metadata

config = context.config
connection = config.attributes.get("connection")
schema = config.attributes.get("local_schema")
if connection is None or schema is None:
    raise RuntimeError("the local store is migrated by `gradpath` itself (ensure_local_store), not by the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=local_metadata,
    version_table_schema=schema,
    include_schemas=True,
)
with context.begin_transaction():
    context.run_migrations()
