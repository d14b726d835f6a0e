"""trust and safety: hours and thanks once per side of a match

Revision ID: d4c7a9e1b2f3
Revises: 96d350c8c782
Create Date: 2026-12-07 16:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4c7a9e1b2f3'
down_revision = '96d350c8c782'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requester_hours', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('volunteer_hours', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('requester_thanked_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('volunteer_thanked_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('hours_corrected_at', sa.DateTime(), nullable=True))
    # A side that left a thank-you note has thanked (once); the hours already stored keep counting.
    op.execute("UPDATE matches SET requester_thanked_at = COALESCE(done_at, created_at) WHERE requester_thanks <> ''")
    op.execute("UPDATE matches SET volunteer_thanked_at = COALESCE(done_at, created_at) WHERE volunteer_thanks <> ''")


def downgrade():
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.drop_column('hours_corrected_at')
        batch_op.drop_column('volunteer_thanked_at')
        batch_op.drop_column('requester_thanked_at')
        batch_op.drop_column('volunteer_hours')
        batch_op.drop_column('requester_hours')
