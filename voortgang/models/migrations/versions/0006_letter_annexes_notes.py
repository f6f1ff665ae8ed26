"""the letter's annexes (bijlagen) and the coordinators' notes stored with each draft

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 04:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("letter_drafts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("annexes_markdown", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("annexes_html", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("annexes_docx", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("notes_markdown", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("letter_drafts", schema=None) as batch_op:
        batch_op.drop_column("notes_markdown")
        batch_op.drop_column("annexes_docx")
        batch_op.drop_column("annexes_html")
        batch_op.drop_column("annexes_markdown")
