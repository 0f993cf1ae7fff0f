"""Parse state per document, and a fingerprint per report so an unchanged report is never rewritten

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 22:28:22.837165
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parser_version', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column('parse_error', sqlmodel.sql.sqltypes.AutoString(), nullable=True))

    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fingerprint', sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=''))



def downgrade() -> None:
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_column('fingerprint')

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('parse_error')
        batch_op.drop_column('parser_version')

