"""index municipal observations by indicator and reference date

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 13:10:00
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("municipal_observations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_municipal_observations_indicator_date",
            ["indicator", "reference_date"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("municipal_observations", schema=None) as batch_op:
        batch_op.drop_index("ix_municipal_observations_indicator_date")
