"""a hand-over hidden from the resident: the request shows as closed on their pages and in their data download

Revision ID: 5e1d7a0c3b92
Revises: 03029a874733
Create Date: 2026-12-08 00:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e1d7a0c3b92'
down_revision = '03029a874733'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_handover_hidden', sa.Boolean(), server_default=sa.false(), nullable=False))
    # Hand-overs made before this column whose notice was held back: hidden from the resident from now on too.
    op.execute("UPDATE help_requests SET is_handover_hidden = true WHERE id IN "
               "(SELECT request_id FROM handovers WHERE resident_notified = false)")


def downgrade():
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.drop_column('is_handover_hidden')
