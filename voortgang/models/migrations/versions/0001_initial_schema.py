"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25 11:55:45.744461
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.String(length=6), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("flow_run_id", sa.String(length=40), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "payload",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessments_period_id"), ["period_id"], unique=False)

    op.create_table(
        "catalogue_loads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_loads")),
    )
    op.create_table(
        "goals",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("seed_question", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goals")),
    )
    op.create_table(
        "ministries",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("short_name", sa.String(length=80), nullable=False),
        sa.Column("slack_channel", sa.String(length=80), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_ministries")),
    )
    op.create_table(
        "municipalities",
        sa.Column("code", sa.String(length=6), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("province", sa.String(length=40), nullable=True),
        sa.Column("latest_boundary_year", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_municipalities")),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("channel", sa.String(length=80), nullable=False),
        sa.Column(
            "payload",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_outbox_dedupe_key")),
    )
    op.create_table(
        "reporting_periods",
        sa.Column("id", sa.String(length=6), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reporting_periods")),
    )
    op.create_table(
        "goal_ownership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.String(length=80), nullable=False),
        sa.Column("ministry_code", sa.String(length=16), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goals.id"], name=op.f("fk_goal_ownership_goal_id_goals")
        ),
        sa.ForeignKeyConstraint(
            ["ministry_code"],
            ["ministries.code"],
            name=op.f("fk_goal_ownership_ministry_code_ministries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal_ownership")),
    )
    with op.batch_alter_table("goal_ownership", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goal_ownership_goal_id"), ["goal_id"], unique=False)

    op.create_table(
        "goal_statuses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.String(length=80), nullable=False),
        sa.Column("ministry_code", sa.String(length=16), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column(
            "reasons",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_goal_statuses_assessment_id_assessments"),
        ),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goals.id"], name=op.f("fk_goal_statuses_goal_id_goals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal_statuses")),
    )
    with op.batch_alter_table("goal_statuses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_goal_statuses_assessment_id"), ["assessment_id"], unique=False
        )

    op.create_table(
        "indicators",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("goal_id", sa.String(length=80), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("unit", sa.String(length=80), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("reported_by", sa.String(length=16), nullable=False),
        sa.Column("baseline_value", sa.Float(), nullable=False),
        sa.Column("baseline_date", sa.Date(), nullable=False),
        sa.Column("baseline_source", sa.Text(), nullable=False),
        sa.Column("target_value", sa.Float(), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=False),
        sa.Column("target_source", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goals.id"], name=op.f("fk_indicators_goal_id_goals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicators")),
    )
    op.create_table(
        "letter_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.String(length=6), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("flow_run_id", sa.String(length=40), nullable=True),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("markdown", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("docx", sa.LargeBinary(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_letter_drafts_assessment_id_assessments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_drafts")),
        sa.UniqueConstraint(
            "period_id", "version", name=op.f("uq_letter_drafts_period_id_version")
        ),
    )
    with op.batch_alter_table("letter_drafts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_letter_drafts_period_id"), ["period_id"], unique=False)

    op.create_table(
        "milestones",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("ministry_code", sa.String(length=16), nullable=False),
        sa.Column("goal_id", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goals.id"], name=op.f("fk_milestones_goal_id_goals")
        ),
        sa.ForeignKeyConstraint(
            ["ministry_code"],
            ["ministries.code"],
            name=op.f("fk_milestones_ministry_code_ministries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestones")),
    )
    op.create_table(
        "municipal_observations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=False),
        sa.Column("indicator", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("reference_date", sa.Date(), nullable=False),
        sa.Column("boundary_year", sa.Integer(), nullable=False),
        sa.Column("dataset", sa.String(length=40), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("flag_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["municipality_code"],
            ["municipalities.code"],
            name=op.f("fk_municipal_observations_municipality_code_municipalities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_municipal_observations")),
        sa.UniqueConstraint(
            "municipality_code",
            "indicator",
            "reference_date",
            "dataset",
            name=op.f(
                "uq_municipal_observations_municipality_code_indicator_reference_date_dataset"
            ),
        ),
    )
    with op.batch_alter_table("municipal_observations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_municipal_observations_indicator_year", ["indicator", "boundary_year"], unique=False
        )

    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("ministry_code", sa.String(length=16), nullable=True),
        sa.Column("slack_id", sa.String(length=40), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ministry_code"], ["ministries.code"], name=op.f("fk_people_ministry_code_ministries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("email", name=op.f("uq_people_email")),
    )
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ministry_code", sa.String(length=16), nullable=False),
        sa.Column("period_id", sa.String(length=6), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("submitted_by", sa.String(length=254), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("source_name", sa.String(length=300), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "payload",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["ministry_code"],
            ["ministries.code"],
            name=op.f("fk_submissions_ministry_code_ministries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submissions")),
        sa.UniqueConstraint(
            "ministry_code",
            "period_id",
            "content_hash",
            name=op.f("uq_submissions_ministry_code_period_id_content_hash"),
        ),
        sa.UniqueConstraint(
            "ministry_code",
            "period_id",
            "version",
            name=op.f("uq_submissions_ministry_code_period_id_version"),
        ),
    )
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_submissions_period_id"), ["period_id"], unique=False)

    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("decided_by", sa.String(length=254), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"], ["letter_drafts.id"], name=op.f("fk_decisions_draft_id_letter_drafts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
    )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decisions_draft_id"), ["draft_id"], unique=False)

    op.create_table(
        "indicator_observations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.String(length=80), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_indicator_observations_indicator_id_indicators"),
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_indicator_observations_submission_id_submissions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_observations")),
    )
    with op.batch_alter_table("indicator_observations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicator_observations_submission_id"), ["submission_id"], unique=False
        )

    op.create_table(
        "milestone_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("narrative", sa.Text(), nullable=False),
        sa.Column("expected_completion", sa.Date(), nullable=True),
        sa.Column("status_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["milestones.id"],
            name=op.f("fk_milestone_updates_milestone_id_milestones"),
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_milestone_updates_submission_id_submissions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestone_updates")),
    )
    with op.batch_alter_table("milestone_updates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_milestone_updates_submission_id"), ["submission_id"], unique=False
        )

    op.create_table(
        "municipal_instruments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=False),
        sa.Column("ordinance", sa.Boolean(), nullable=False),
        sa.Column("urgency_scheme", sa.Boolean(), nullable=False),
        sa.Column("woonzorgvisie", sa.Boolean(), nullable=False),
        sa.Column("residents_involved", sa.Boolean(), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_code"],
            ["municipalities.code"],
            name=op.f("fk_municipal_instruments_municipality_code_municipalities"),
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_municipal_instruments_submission_id_submissions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_municipal_instruments")),
    )
    with op.batch_alter_table("municipal_instruments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_municipal_instruments_submission_id"), ["submission_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("municipal_instruments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_municipal_instruments_submission_id"))

    op.drop_table("municipal_instruments")
    with op.batch_alter_table("milestone_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestone_updates_submission_id"))

    op.drop_table("milestone_updates")
    with op.batch_alter_table("indicator_observations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_observations_submission_id"))

    op.drop_table("indicator_observations")
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decisions_draft_id"))

    op.drop_table("decisions")
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submissions_period_id"))

    op.drop_table("submissions")
    op.drop_table("people")
    with op.batch_alter_table("municipal_observations", schema=None) as batch_op:
        batch_op.drop_index("ix_municipal_observations_indicator_year")

    op.drop_table("municipal_observations")
    op.drop_table("milestones")
    with op.batch_alter_table("letter_drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_letter_drafts_period_id"))

    op.drop_table("letter_drafts")
    op.drop_table("indicators")
    with op.batch_alter_table("goal_statuses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goal_statuses_assessment_id"))

    op.drop_table("goal_statuses")
    with op.batch_alter_table("goal_ownership", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goal_ownership_goal_id"))

    op.drop_table("goal_ownership")
    op.drop_table("reporting_periods")
    op.drop_table("outbox")
    op.drop_table("municipalities")
    op.drop_table("ministries")
    op.drop_table("goals")
    op.drop_table("catalogue_loads")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessments_period_id"))

    op.drop_table("assessments")
