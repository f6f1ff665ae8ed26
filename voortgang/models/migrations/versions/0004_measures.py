"""a measure (maatregel) with milestone updates and indicator values

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 03:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("milestone_updates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("measure", sa.Text(), nullable=True))
    with op.batch_alter_table("indicator_observations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("measure", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("indicator_observations", schema=None) as batch_op:
        batch_op.drop_column("measure")
    with op.batch_alter_table("milestone_updates", schema=None) as batch_op:
        batch_op.drop_column("measure")
