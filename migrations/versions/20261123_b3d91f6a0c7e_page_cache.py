"""a shared cache of public pages for anonymous visitors (webapp/pagecache); an index for ending screenings

Revision ID: b3d91f6a0c7e
Revises: a7c4e2f19b3d
Create Date: 2026-11-23 03:40:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b3d91f6a0c7e'
down_revision = 'a7c4e2f19b3d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'page_cache',
        sa.Column('key', sa.String(length=80), nullable=False),
        sa.Column('tag', sa.String(length=20), nullable=False),
        sa.Column('body', sa.LargeBinary(), nullable=False),
        sa.Column('expires_at', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_page_cache')),
    )
    op.create_index(op.f('ix_page_cache_tag'), 'page_cache', ['tag'], unique=False)
    op.create_index(op.f('ix_page_cache_expires_at'), 'page_cache', ['expires_at'], unique=False)
    # The staff workspace counts certificates of conduct that end soon on every view.
    op.create_index(op.f('ix_volunteer_profiles_screened_until'), 'volunteer_profiles', ['screened_until'],
                    unique=False)


def downgrade():
    op.drop_index(op.f('ix_volunteer_profiles_screened_until'), table_name='volunteer_profiles')
    op.drop_index(op.f('ix_page_cache_expires_at'), table_name='page_cache')
    op.drop_index(op.f('ix_page_cache_tag'), table_name='page_cache')
    op.drop_table('page_cache')
