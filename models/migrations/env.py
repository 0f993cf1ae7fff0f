import nianbao.models.tables  # noqa: F401  (registers the tables on SQLModel.metadata)
from alembic import context
from sqlalchemy import create_engine, pool
from sqlmodel import SQLModel

from nianbao.core import config as nianbao_config

config = context.config
target_metadata = SQLModel.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    connectable = create_engine(config.get_main_option("sqlalchemy.url") or nianbao_config.database_url(),
                                poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run()
