"""moties and toezeggingen: the catalogue's commitments and the ministries' reports on them

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 03:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "commitments",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("kamerstuk", sa.String(length=80), nullable=True),
        sa.Column("debate", sa.String(length=200), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "submitters",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("ministry_code", sa.String(length=16), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ministry_code"],
            ["ministries.code"],
            name=op.f("fk_commitments_ministry_code_ministries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitments")),
    )
    op.create_table(
        "commitment_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=True),
        sa.Column("expected", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.id"],
            name=op.f("fk_commitment_updates_commitment_id_commitments"),
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_commitment_updates_submission_id_submissions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment_updates")),
    )
    with op.batch_alter_table("commitment_updates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commitment_updates_submission_id"), ["submission_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("commitment_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitment_updates_submission_id"))
    op.drop_table("commitment_updates")
    op.drop_table("commitments")
