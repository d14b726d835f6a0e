"""the language user texts are written in, for initiatives, their needs and activities, and budget plans (as for
requests and offers in 249f8896cf34): existing rows are Dutch; pages mark the texts with their own lang and dir and
say "Written in ..." when it is not the page's language

Revision ID: 03029a874733
Revises: bdb5c007e37d
Create Date: 2026-12-07 20:59:00.668333

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '03029a874733'
down_revision = 'bdb5c007e37d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text_language', sa.String(length=5), server_default='nl', nullable=False))

    with op.batch_alter_table('budget_proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text_language', sa.String(length=5), server_default='nl', nullable=False))

    with op.batch_alter_table('initiative_needs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text_language', sa.String(length=5), server_default='nl', nullable=False))

    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text_language', sa.String(length=5), server_default='nl', nullable=False))


def downgrade():
    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.drop_column('text_language')

    with op.batch_alter_table('initiative_needs', schema=None) as batch_op:
        batch_op.drop_column('text_language')

    with op.batch_alter_table('budget_proposals', schema=None) as batch_op:
        batch_op.drop_column('text_language')

    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_column('text_language')
