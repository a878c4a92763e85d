"""Reports: filing them, the staff queue, and resolving them with a real action (issue 6).

A resolution is one transaction: the report is claimed (`open` -> resolved/dismissed with a
conditional UPDATE, so two moderators cannot both resolve it), the action is applied (the
account change through `admin_users.do_change_account`, content removal through the owning
service via `report_targets`), the audit entry and the notifications are added, then it
commits. Any refusal on the way rolls all of it back and the report stays open.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.db import utcnow
from watchparty.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from watchparty.permissions import has_role, is_staff
from watchparty.services.admin_users import do_change_account
from watchparty.services.audit import record_audit
from watchparty.services.notifications import notify
from watchparty.services.report_targets import do_delete_content, find_visible_target
from watchparty.services.users import rfc3339, user_summary_json
from watchparty.tables import Report, User

__all__ = [
    "DEFAULT_SUSPENSION_DAYS",
    "access_report",
    "check_create_report",
    "check_resolve_report",
    "report_row_json",
    "reports_query",
]

DEFAULT_SUSPENSION_DAYS = 7
# Actions aimed at the target's author's account rather than at the content.
ACCOUNT_ACTIONS = ("warn", "suspend", "ban")

_Reporter = aliased(User, name="reporter")
_TargetUser = aliased(User, name="target_user")
_Resolver = aliased(User, name="resolver")


def reports_query(
    *, status: str | None = None, target_type: str | None = None, reason: str | None = None
) -> sa.Select[*tuple[Any, ...]]:
    """(Report, reporter, target user, resolver) rows, users outer-joined."""
    stmt = (
        sa.select(Report, _Reporter, _TargetUser, _Resolver)
        .outerjoin(_Reporter, _Reporter.id == Report.reporter_id)  # type: ignore[arg-type]
        .outerjoin(_TargetUser, _TargetUser.id == Report.target_user_id)  # type: ignore[arg-type]
        .outerjoin(_Resolver, _Resolver.id == Report.resolved_by_id)  # type: ignore[arg-type]
    )
    for column, value in (
        (Report.status, status),
        (Report.target_type, target_type),
        (Report.reason, reason),
    ):
        if value is not None:
            stmt = stmt.where(col(column) == value)
    return stmt


def _summary(user: User | None) -> dict[str, Any] | None:
    return user_summary_json(user) if user is not None else None


def report_row_json(row: Any) -> dict[str, Any]:
    """A `reports_query` row as the `Report` schema."""
    report, reporter, target_user, resolver = row
    resolution = None
    if report.resolved_at is not None:
        resolution = {
            "action": report.action,
            "days": report.days,
            "note": report.note,
            "resolved_by": _summary(resolver),
            "resolved_at": rfc3339(report.resolved_at),
        }
    return {
        "id": str(report.id),
        # A deleted reporter is shown as gone (the API's promise), not as their husk.
        "reporter": _summary(reporter)
        if reporter is not None and not reporter.is_deleted
        else None,
        "target_type": report.target_type,
        "target_id": str(report.target_id),
        "target_user": _summary(target_user),
        "target_excerpt": report.target_excerpt,
        "reason": report.reason,
        "text": report.text,
        "status": report.status,
        "resolution": resolution,
        "created_at": rfc3339(report.created_at),
    }


async def access_report(*, session: AsyncSession, report_id: uuid.UUID | str) -> Any:
    """The `reports_query` row of one report (callers are staff); NotFound if unknown."""
    try:
        key = report_id if isinstance(report_id, uuid.UUID) else uuid.UUID(report_id)
    except ValueError:
        raise NotFound() from None
    row = (await session.exec(reports_query().where(col(Report.id) == key))).first()  # type: ignore[call-overload]
    if row is None:
        raise NotFound()
    return row


async def check_create_report(
    *, session: AsyncSession, reporter: User, body: Mapping[str, Any]
) -> tuple[uuid.UUID, bool]:
    """File a `ReportCreate`; answers the report id and whether it is new (committed).

    A report the caller already has open on the same target is answered instead of a new
    one; a unique index over open reports keeps that true for concurrent requests too.

    Raises:
        ValidationFailed: on `target_id` for an unknown or invisible target, the caller
            themselves or their own content.
    """
    target_type = str(body["target_type"])
    try:
        target_id = uuid.UUID(str(body["target_id"]))
    except ValueError:
        raise ValidationFailed.field("target_id", "Must be a valid UUID.") from None
    reporter_id = reporter.id
    target = await find_visible_target(
        session=session, user=reporter, target_type=target_type, target_id=target_id
    )
    if target is None:
        raise ValidationFailed.field("target_id", f"No such {target_type}.")
    if target.author_id == reporter_id:
        raise ValidationFailed.field("target_id", "You cannot report yourself or your own content.")

    async def open_report() -> Report | None:
        stmt = select(Report).where(
            col(Report.reporter_id) == reporter_id,
            col(Report.target_type) == target_type,
            col(Report.target_id) == target_id,
            col(Report.status) == "open",
        )
        return (await session.exec(stmt)).first()

    existing = await open_report()
    if existing is not None:
        return existing.id, False
    report = Report(
        reporter_id=reporter_id,
        target_type=target_type,
        target_id=target_id,
        target_user_id=target.author_id,
        target_excerpt=target.excerpt,
        reason=str(body["reason"]),
        text=str(body.get("text") or "").strip(),
    )
    session.add(report)
    try:
        await session.commit()
    except IntegrityError:
        # The same report, filed concurrently, won the unique index: answer that one.
        await session.rollback()
        existing = await open_report()
        if existing is None:
            raise
        return existing.id, False
    return report.id, True


def _check_may_resolve(*, actor: User, action: str, author: User | None) -> None:
    admin = has_role(actor, "admin")
    # Dismissing needs no admin, but a moderator does not judge a report about themselves.
    if author is not None and author.id == actor.id and not admin:
        raise PermissionDenied("A report about you is for an admin to resolve.")
    if action == "dismiss":
        return
    if action == "ban" and not admin:
        raise PermissionDenied("Only admins may ban.")
    if author is not None and is_staff(author) and not admin:
        raise PermissionDenied("Only admins may act against moderators and admins.")
    if action in ACCOUNT_ACTIONS and (author is None or author.is_deleted):
        raise Conflict("The reported account no longer exists.", code="account_deleted")


def _warning_title(action: str, target_type: str, until: dt.datetime | None) -> str:
    if action == "suspend":
        return f"Your account is suspended until {rfc3339(until)}" if until else "Suspended"
    if action == "ban":
        return "Your account is banned"
    if action == "delete_content":
        return (
            "Your profile was cleared"
            if target_type == "user"
            else f"Your {target_type} was removed"
        )
    return "You received a warning"


async def check_resolve_report(
    *, session: AsyncSession, actor: User, report: Report, body: Mapping[str, Any]
) -> None:
    """Apply a `ReportResolve` to an open report, audit it, notify, and commit.

    Raises:
        Conflict: the report is no longer open (`report_closed`), the author's account is
            gone (`account_deleted`), `last_admin`, `party_closed` (an ended party) or
            `video_in_use` (a video a live party plays).
        PermissionDenied: a moderator banning, acting against a moderator or admin, or
            resolving a report about themselves.
    """
    action = str(body["action"])
    days = int(body.get("days") or DEFAULT_SUSPENSION_DAYS) if action == "suspend" else None
    note = str(body.get("note") or "").strip()
    if report.status != "open":
        raise Conflict("This report was already resolved.", code="report_closed")
    author = await session.get(User, report.target_user_id) if report.target_user_id else None
    _check_may_resolve(actor=actor, action=action, author=author)
    now = utcnow()
    claimed = await session.exec(
        sa.update(Report)
        .where(col(Report.id) == report.id, col(Report.status) == "open")
        .values(
            status="dismissed" if action == "dismiss" else "resolved",
            action=action,
            days=days,
            note=note,
            resolved_by_id=actor.id,
            resolved_at=now,
        )
    )
    if claimed.rowcount == 0:
        raise Conflict("This report was already resolved.", code="report_closed")
    until = now + dt.timedelta(days=days) if days is not None else None
    if author is not None and action in ("suspend", "ban"):
        await do_change_account(
            session=session,
            user=author,
            status="suspended" if action == "suspend" else "banned",
            until=until,
            revoke_reason="moderation",
        )
    record_audit(
        session,
        actor=actor,
        action="report.resolve",
        target_type=report.target_type,
        target_id=report.target_id,
        data={
            "report_id": str(report.id),
            "action": action,
            "days": days,
            "note": note,
            "target_user_id": str(author.id) if author is not None else None,
        },
    )
    links = {"report_id": report.id, "action": action}
    reporter = await session.get(User, report.reporter_id) if report.reporter_id else None
    if reporter is not None and not reporter.is_deleted:
        outcome = "took no action" if action == "dismiss" else f"took action ({action})"
        notify(
            session,
            user_id=reporter.id,
            type="report_resolved",
            title="Your report was reviewed",
            body=f"Thanks for reporting. We reviewed it and {outcome}.",
            data=links,
        )
    if action != "dismiss" and author is not None and not author.is_deleted:
        notify(
            session,
            user_id=author.id,
            type="account_warning",
            title=_warning_title(action, report.target_type, until),
            body=note or f"Reported for {report.reason.replace('_', ' ')}.",
            data={**links, "target_type": report.target_type, "target_id": report.target_id},
        )
    if action == "delete_content":
        # Last: cancelling a party or deleting a video commits inside their services.
        await do_delete_content(
            session=session, actor=actor, target_type=report.target_type, target_id=report.target_id
        )
    await session.commit()
