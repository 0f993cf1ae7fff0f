"""How each figure was read, and the table format of each report (pre-2019 statistics table or the 2019+ tables)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 16:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Figures stored before this revision were all read beside their labels.
    with op.batch_alter_table('figures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('method', sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                      server_default='label'))
        batch_op.create_index(batch_op.f('ix_figures_method'), ['method'], unique=False)
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('table_format', sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                      server_default='2019+'))


def downgrade() -> None:
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_column('table_format')
    with op.batch_alter_table('figures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_figures_method'))
        batch_op.drop_column('method')
