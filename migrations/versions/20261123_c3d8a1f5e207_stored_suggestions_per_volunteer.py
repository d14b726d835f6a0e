"""stored suggestions per volunteer (computed in the background, filtered when read)

Revision ID: c3d8a1f5e207
Revises: b3d91f6a0c7e
Create Date: 2026-11-23 03:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3d8a1f5e207'
down_revision = 'b3d91f6a0c7e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('suggestion_lists',
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['volunteer_id'], ['users.id'], name=op.f('fk_suggestion_lists_volunteer_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('volunteer_id', name=op.f('pk_suggestion_lists'))
    )
    op.create_table('volunteer_suggestions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('initiative_id', sa.Integer(), nullable=True),
    sa.Column('need_id', sa.Integer(), nullable=True),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_volunteer_suggestions_initiative_id_initiatives'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['need_id'], ['initiative_needs.id'], name=op.f('fk_volunteer_suggestions_need_id_initiative_needs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['request_id'], ['help_requests.id'], name=op.f('fk_volunteer_suggestions_request_id_help_requests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['volunteer_id'], ['users.id'], name=op.f('fk_volunteer_suggestions_volunteer_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_suggestions')),
    sa.UniqueConstraint('volunteer_id', 'kind', 'rank', name='uq_volunteer_suggestions_volunteer_id_kind_rank')
    )
    with op.batch_alter_table('volunteer_suggestions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteer_suggestions_initiative_id'), ['initiative_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteer_suggestions_need_id'), ['need_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteer_suggestions_request_id'), ['request_id'], unique=False)


def downgrade():
    with op.batch_alter_table('volunteer_suggestions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteer_suggestions_request_id'))
        batch_op.drop_index(batch_op.f('ix_volunteer_suggestions_need_id'))
        batch_op.drop_index(batch_op.f('ix_volunteer_suggestions_initiative_id'))

    op.drop_table('volunteer_suggestions')
    op.drop_table('suggestion_lists')
