"""Figures lose their index on report_id alone: the unique (report_id, key) index serves the same lookups

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 07:30:00
"""

from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('figures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_figures_report_id'))


def downgrade() -> None:
    with op.batch_alter_table('figures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_figures_report_id'), ['report_id'], unique=False)
