"""letter drafts marked provisional (voorlopig): drafted before the period's deadline

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 05:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("letter_drafts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("provisional", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("letter_drafts", schema=None) as batch_op:
        batch_op.drop_column("provisional")
