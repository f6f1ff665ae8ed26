"""a submission may return to earlier content: drop the unique content hash per period

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 03:20:00
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_constraint(
            "uq_submissions_ministry_code_period_id_content_hash", type_="unique"
        )


def downgrade() -> None:
    # Only possible while no ministry has returned to earlier content in a period.
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            "uq_submissions_ministry_code_period_id_content_hash",
            ["ministry_code", "period_id", "content_hash"],
        )
