"""Organs as entities: organs and their aliases, reports and findings pointing at them, site name rules

Organs are made from the reports already stored, with the rules of nianbao.core.organs
that this revision ships. Where two stored reports of one year turn out to be one
organ's (白沙镇 and 岚溪县白沙镇), both are taken out and their documents' parses marked
not loaded, so the next ingest merges them into one report; documents and parses stay.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 19:00:00
"""

from collections import defaultdict

import sqlalchemy as sa
import sqlmodel
from alembic import op

from nianbao.core import organs

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('organs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('province', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('city', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('county', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('region_code', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('region', 'key')
    )
    with op.batch_alter_table('organs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organs_region'), ['region'], unique=False)
    op.create_table('organ_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organ_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('first_year', sa.Integer(), nullable=False),
    sa.Column('last_year', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organ_id'], ['organs.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('organ_id', 'name')
    )
    with op.batch_alter_table('organ_aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organ_aliases_organ_id'), ['organ_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organ_aliases_name'), ['name'], unique=False)
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.add_column(sa.Column('aliases', sa.JSON(), nullable=False, server_default='{}'))
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organ_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_findings_organ_id'), ['organ_id'], unique=False)
        batch_op.create_foreign_key('fk_findings_organ_id', 'organs', ['organ_id'], ['id'])
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organ_id', sa.Integer(), nullable=True))

    _organs_from_reports(op.get_bind())

    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        op.drop_constraint('reports_organ_year_key', 'reports', type_='unique')
        convention = None
    else:
        convention = {'uq': 'uq_%(table_name)s_%(column_0_name)s'}
    with op.batch_alter_table('reports', schema=None, naming_convention=convention) as batch_op:
        if convention:
            batch_op.drop_constraint('uq_reports_organ', type_='unique')
        batch_op.alter_column('organ_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_reports_organ_id'), ['organ_id'], unique=False)
        batch_op.create_foreign_key('fk_reports_organ_id', 'organs', ['organ_id'], ['id'])
        batch_op.create_unique_constraint('uq_reports_organ_id_year', ['organ_id', 'year'])


def _organs_from_reports(conn) -> None:
    reports = conn.execute(sa.text('SELECT id, organ, year, region, site_id FROM reports')).all()
    groups: dict[tuple[str, str], list] = defaultdict(list)
    regions = {}
    for rid, name, year, region_text, site_id in reports:
        region = regions.setdefault((region_text, site_id), organs.region_of(region_text, site_id))
        groups[(region, organs.key_of(name, region))].append((rid, name, year))
    organs_table = sa.table('organs', *(sa.column(c) for c in (
        'id', 'region', 'key', 'name', 'kind', 'province', 'city', 'county', 'code', 'region_code')))
    for (region, key), rows in sorted(groups.items(), key=lambda g: (g[0][0].text, g[0][1])):
        spans: dict[str, list[int]] = defaultdict(list)
        for _, name, year in rows:
            spans[name].append(year)
        aliases = [(name, min(years), max(years)) for name, years in sorted(spans.items())]
        name = organs.canonical(aliases)
        row = organs.describe(key, name, region)
        organ_id = conn.execute(organs_table.insert().returning(organs_table.c.id), [row]).scalar_one()
        conn.execute(sa.text('INSERT INTO organ_aliases (organ_id, name, first_year, last_year) '
                             'VALUES (:organ, :name, :first, :last)'),
                     [{'organ': organ_id, 'name': n, 'first': f, 'last': last} for n, f, last in aliases])
        by_year: dict[int, list[int]] = defaultdict(list)
        for rid, _, year in rows:
            by_year[year].append(rid)
        for ids in by_year.values():
            if len(ids) == 1:
                conn.execute(sa.text('UPDATE reports SET organ_id = :organ WHERE id = :id'),
                             {'organ': organ_id, 'id': ids[0]})
            else:
                _take_out(conn, ids)
    conn.execute(sa.text('UPDATE findings SET organ_id = (SELECT organ_id FROM reports '
                         'WHERE reports.id = findings.report_id) WHERE report_id IS NOT NULL'))


def _take_out(conn, ids: list[int]) -> None:
    """Reports that are one organ's in one year: their parses to be loaded again, merged, by the next ingest."""
    params = {'ids': ids}
    expanding = [sa.bindparam('ids', expanding=True)]
    conn.execute(sa.text('UPDATE parses SET loaded = false WHERE sha256 IN '
                         '(SELECT sha256 FROM report_sources WHERE report_id IN :ids)').bindparams(*expanding), params)
    for table in ('figures', 'report_sources', 'findings'):
        conn.execute(sa.text(f'DELETE FROM {table} WHERE report_id IN :ids').bindparams(*expanding), params)
    conn.execute(sa.text('DELETE FROM reports WHERE id IN :ids').bindparams(*expanding), params)


def downgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_constraint('uq_reports_organ_id_year', type_='unique')
        batch_op.drop_constraint('fk_reports_organ_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_reports_organ_id'))
        batch_op.drop_column('organ_id')
        batch_op.create_unique_constraint('reports_organ_year_key' if bind.dialect.name == 'postgresql'
                                          else 'uq_reports_organ', ['organ', 'year'])
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.drop_constraint('fk_findings_organ_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_findings_organ_id'))
        batch_op.drop_column('organ_id')
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.drop_column('aliases')
    op.drop_table('organ_aliases')
    op.drop_table('organs')
