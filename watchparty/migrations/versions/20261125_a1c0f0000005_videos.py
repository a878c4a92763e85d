"""Videos and their processing jobs (issue 7)

Revision ID: a1c0f0000005
Revises: a1c0f0000004
Create Date: 2026-11-25 18:20:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a1c0f0000005"
down_revision: str | None = "a1c0f0000004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "videos",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("upload_state", sa.String(length=16), nullable=False),
        sa.Column("processing_state", sa.String(length=16), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=True),
        sa.Column("declared_size_bytes", sa.BigInteger(), nullable=True),
        sa.Column("content_type", sa.String(length=64), nullable=True),
        sa.Column("original_filename", sa.String(length=255), nullable=True),
        sa.Column("original_key", sa.String(length=255), nullable=False),
        sa.Column("stream_key", sa.String(length=255), nullable=True),
        sa.Column("thumbnail_key", sa.String(length=255), nullable=True),
        sa.Column("poster_key", sa.String(length=255), nullable=True),
        sa.Column("duration_seconds", sa.Float(), nullable=True),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("video_codec", sa.String(length=64), nullable=True),
        sa.Column("audio_codec", sa.String(length=64), nullable=True),
        sa.Column("container", sa.String(length=128), nullable=True),
        sa.Column("upload_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ready_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_videos_owner_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_videos")),
    )
    with op.batch_alter_table("videos", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_videos_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_videos_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_videos_processing_state"), ["processing_state"], unique=False
        )

    op.create_table(
        "video_processing_jobs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("video_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("error_code", sa.String(length=32), nullable=True),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("announced_attempt", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["video_id"],
            ["videos.id"],
            name=op.f("fk_video_processing_jobs_video_id_videos"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_video_processing_jobs")),
        sa.UniqueConstraint("video_id", name=op.f("uq_video_processing_jobs_video_id")),
    )
    with op.batch_alter_table("video_processing_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_video_processing_jobs_state"), ["state"], unique=False)

    with op.batch_alter_table("parties", schema=None) as batch_op:
        batch_op.add_column(sa.Column("video_id", sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f("ix_parties_video_id"), ["video_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_parties_video_id_videos"),
            "videos",
            ["video_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("parties", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_parties_video_id_videos"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_parties_video_id"))
        batch_op.drop_column("video_id")
    with op.batch_alter_table("video_processing_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_video_processing_jobs_state"))
    op.drop_table("video_processing_jobs")
    with op.batch_alter_table("videos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_videos_processing_state"))
        batch_op.drop_index(batch_op.f("ix_videos_owner_id"))
        batch_op.drop_index(batch_op.f("ix_videos_created_at"))
    op.drop_table("videos")
