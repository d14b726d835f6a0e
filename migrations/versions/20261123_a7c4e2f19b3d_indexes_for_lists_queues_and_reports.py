"""indexes for lists, staff queues and reports (measured by make bench at 100x demo data)

Revision ID: a7c4e2f19b3d
Revises: a7c4e2f1d9b3
Create Date: 2026-11-23 00:50:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a7c4e2f19b3d'
down_revision = 'a7c4e2f1d9b3'
branch_labels = None
depends_on = None

INDEXES = (
    ('help_requests', 'ix_help_requests_listing',
     ['status', 'moderation', 'needs_screening', 'offer_id', 'expires_at', 'created_at', 'requester_id']),
    ('help_requests', 'ix_help_requests_created_at', ['created_at']),
    ('help_requests', 'ix_help_requests_moderation', ['moderation']),
    ('responses', 'ix_responses_request_id_created_at', ['request_id', 'created_at']),
    ('responses', 'ix_responses_created_at', ['created_at']),
    ('users', 'ix_users_is_blocked', ['is_blocked']),
    ('users', 'ix_users_created_at', ['created_at']),
    ('volunteer_profiles', 'ix_volunteer_profiles_moderation', ['moderation']),
    ('offers', 'ix_offers_moderation', ['moderation']),
)


def upgrade():
    for table, name, columns in INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(name, columns, unique=False)


def downgrade():
    for table, name, _columns in reversed(INDEXES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(name)
