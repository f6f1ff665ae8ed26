"""who acted: the claimed identity and the verified principal of submissions and decisions

Existing rows keep their claim (a submission's ``submitted_by``, a decision's
``decided_by``) as ``claimed_by``; no channel vouched for them, so ``principal`` stays NULL
and ``principal_verified`` false.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 06:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TABLES = {"submissions": "submitted_by", "decisions": "decided_by"}


def upgrade() -> None:
    for table, claim in TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("claimed_by", sa.String(length=254), nullable=True))
            batch_op.add_column(sa.Column("principal", sa.String(length=254), nullable=True))
            batch_op.add_column(
                sa.Column(
                    "principal_verified", sa.Boolean(), nullable=False, server_default=sa.false()
                )
            )
        # Table and column names are the constants above, not input.
        op.execute(sa.text(f"UPDATE {table} SET claimed_by = {claim}"))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("principal_verified")
            batch_op.drop_column("principal")
            batch_op.drop_column("claimed_by")
