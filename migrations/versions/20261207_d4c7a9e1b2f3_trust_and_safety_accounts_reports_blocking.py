"""trust and safety: hours and thanks once per side of a match; reports weighed, urgent, one open per reporter and
target, with an outcome; staff on duty for urgent reports; tasks for staff (phone someone after a block)

Revision ID: d4c7a9e1b2f3
Revises: 1227a02e3bcc
Create Date: 2026-12-07 16:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4c7a9e1b2f3'
down_revision = '1227a02e3bcc'
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

    # Reports filed before keep open_key empty (older code allowed the same report twice; they stay as they are).
    with op.batch_alter_table('moderation_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('open_key', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('is_urgent', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('weight', sa.Float(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('outcome', sa.String(length=10), nullable=True))
        batch_op.create_unique_constraint('uq_moderation_reports_reporter_id_open_key', ['reporter_id', 'open_key'])
    op.execute("UPDATE moderation_reports SET is_urgent = true WHERE reason IN ('unsafe', 'money')"
               " AND resolved_at IS NULL")

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('staff_on_duty', sa.Boolean(), server_default=sa.true(), nullable=False))

    op.create_table('staff_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_staff_tasks_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['done_by_id'], ['users.id'], name=op.f('fk_staff_tasks_done_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['users.id'], name=op.f('fk_staff_tasks_person_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['request_id'], ['help_requests.id'], name=op.f('fk_staff_tasks_request_id_help_requests'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_tasks')),
    sa.UniqueConstraint('public_id', name=op.f('uq_staff_tasks_public_id'))
    )
    with op.batch_alter_table('staff_tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_tasks_done_at'), ['done_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_tasks_person_id'), ['person_id'], unique=False)


def downgrade():
    with op.batch_alter_table('staff_tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_tasks_person_id'))
        batch_op.drop_index(batch_op.f('ix_staff_tasks_done_at'))
    op.drop_table('staff_tasks')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('staff_on_duty')

    with op.batch_alter_table('moderation_reports', schema=None) as batch_op:
        batch_op.drop_constraint('uq_moderation_reports_reporter_id_open_key', type_='unique')
        batch_op.drop_column('outcome')
        batch_op.drop_column('weight')
        batch_op.drop_column('is_urgent')
        batch_op.drop_column('open_key')

    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.drop_column('hours_corrected_at')
        batch_op.drop_column('volunteer_thanked_at')
        batch_op.drop_column('requester_thanked_at')
        batch_op.drop_column('volunteer_hours')
        batch_op.drop_column('requester_hours')
