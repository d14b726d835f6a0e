"""report snapshots: the figures of a period, stored so that every worker reads them instead of computing them

Revision ID: b3e8d5a2c6f1
Revises: c3d8a1f5e207
Create Date: 2026-11-23 03:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b3e8d5a2c6f1'
down_revision = 'c3d8a1f5e207'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_snapshots',
    sa.Column('period', sa.String(length=32), nullable=False),
    sa.Column('min_cell', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('figures', sa.Text(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('period', 'min_cell', name=op.f('pk_report_snapshots'))
    )


def downgrade():
    op.drop_table('report_snapshots')
