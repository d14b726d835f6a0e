"""indexes for the staff workspace's counts: requests waiting for a first response (also the rescue queue): the
equality filters, then the age, then what the rest of the filter reads, so counting never reads the rows; and a
staff member's running intakes

Revision ID: 8d99ef8f2819
Revises: eb67cbe95635
Create Date: 2026-12-07 18:06:42.667200

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '8d99ef8f2819'
down_revision = 'eb67cbe95635'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_help_requests_waiting', 'help_requests',
                    ['status', 'moderation', 'offer_id', 'created_at', 'expires_at', 'requester_id'], unique=False)
    op.create_index('ix_help_requests_contact_staff_status', 'help_requests', ['contact_staff_id', 'status'],
                    unique=False)


def downgrade():
    op.drop_index('ix_help_requests_contact_staff_status', table_name='help_requests')
    op.drop_index('ix_help_requests_waiting', table_name='help_requests')
