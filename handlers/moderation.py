"""REST operations of the `moderation` tag (service: `watchparty.services.moderation`).

Anyone logged in may report; the queue and resolutions are for moderators and admins (the
finer rule, admins only for bans and for acting against staff, is the service's).
"""

from __future__ import annotations

from typing import Any

from watchparty.deps import Answer, Body, TokenInfo, caller
from watchparty.pagination import paginate
from watchparty.permissions import require_auth
from watchparty.services import moderation
from watchparty.tables import Report

__all__ = ["create_report", "list_reports", "get_report", "resolve_report"]


async def create_report(body: Body, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        report_id, created = await moderation.check_create_report(
            session=session, reporter=me, body=body
        )
        row = await moderation.access_report(session=session, report_id=report_id)
        return moderation.report_row_json(row), 201 if created else 200


async def list_reports(
    token_info: TokenInfo,
    status: str | None = None,
    target_type: str | None = None,
    reason: str | None = None,
    **query: Any,
) -> Answer:
    async with caller(token_info) as (session, me):
        require_auth(me, "moderator")
        page = await paginate(
            session,
            moderation.reports_query(status=status, target_type=target_type, reason=reason),
            params=query,
            serialize=moderation.report_row_json,
            order="newest",
            key=(Report.created_at, Report.id),  # type: ignore[arg-type]
        )
        return page, 200


async def get_report(reportId: str, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        require_auth(me, "moderator")
        row = await moderation.access_report(session=session, report_id=reportId)
        return moderation.report_row_json(row), 200


async def resolve_report(reportId: str, body: Body, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        require_auth(me, "moderator")
        report, *_ = await moderation.access_report(session=session, report_id=reportId)
        await moderation.check_resolve_report(session=session, actor=me, report=report, body=body)
        row = await moderation.access_report(session=session, report_id=reportId)
        return moderation.report_row_json(row), 200
