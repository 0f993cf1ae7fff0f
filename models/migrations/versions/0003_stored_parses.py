"""Parse results stored per document and parser version, loaded together with the reports they make

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 06:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'parses',
        sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('parser_version', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('parsed_at', sa.DateTime(), nullable=False),
        sa.Column('error', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('organ', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('year', sa.Integer(), nullable=True),
        sa.Column('result', sa.JSON(), nullable=True),
        sa.Column('loaded', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['sha256'], ['documents.sha256']),
        sa.PrimaryKeyConstraint('sha256'),
    )
    op.create_index(op.f('ix_parses_parser_version'), 'parses', ['parser_version'], unique=False)
    op.create_index(op.f('ix_parses_year'), 'parses', ['year'], unique=False)
    op.create_index(op.f('ix_parses_loaded'), 'parses', ['loaded'], unique=False)
    # Earlier versions kept only a parse marker per document, never the result: every
    # document is parsed again by this version, and its reports are reloaded from the stored results.
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('parse_error')
        batch_op.drop_column('parser_version')


def downgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parser_version', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column('parse_error', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.drop_index(op.f('ix_parses_loaded'), table_name='parses')
    op.drop_index(op.f('ix_parses_year'), table_name='parses')
    op.drop_index(op.f('ix_parses_parser_version'), table_name='parses')
    op.drop_table('parses')
