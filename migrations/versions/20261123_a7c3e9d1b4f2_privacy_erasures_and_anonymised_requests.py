"""privacy: the record of erased accounts; when a request was anonymised

Revision ID: a7c3e9d1b4f2
Revises: 5e7a1f0c2b9d
Create Date: 2026-11-23 00:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3e9d1b4f2'
down_revision = '5e7a1f0c2b9d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('account_erasures',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('erased_at', sa.DateTime(), nullable=False),
    sa.Column('by_staff', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_account_erasures_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_account_erasures'))
    )
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_help_requests_anonymised_at'), ['anonymised_at'], unique=False)


def downgrade():
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_help_requests_anonymised_at'))
        batch_op.drop_column('anonymised_at')
    op.drop_table('account_erasures')
