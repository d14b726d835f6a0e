"""the language user texts are written in: requests, responses and offers get text_language (existing rows are
Dutch, as Samen was Dutch-first until now; the demo data sets each text's own language), so pages mark them with
their own lang attribute and tell volunteers when a request is written in another language than the page

Revision ID: 249f8896cf34
Revises: b421d36a2223
Create Date: 2026-12-07 17:57:56.007284

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '249f8896cf34'
down_revision = 'b421d36a2223'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text_language', sa.String(length=5), server_default='nl', nullable=False))

    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text_language', sa.String(length=5), server_default='nl', nullable=False))

    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text_language', sa.String(length=5), server_default='nl', nullable=False))



def downgrade():
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_column('text_language')

    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.drop_column('text_language')

    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.drop_column('text_language')

