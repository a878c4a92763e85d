"""Outgoing mail: SMTP when configured, otherwise the outbox table (DESIGN §6).

With `WATCHPARTY_SMTP_HOST` unset (development, tests) nothing leaves the machine: each
message becomes a row of `mail_outbox` plus a log line, and `watchparty mail outbox` lists
them, so a developer can still follow a password-reset link.
"""

from __future__ import annotations

import logging
from email.message import EmailMessage

from watchparty.db import Database
from watchparty.settings import Settings
from watchparty.tables import OutboxMail

__all__ = ["Mailer", "MailError"]

logger = logging.getLogger(__name__)
SMTP_TIMEOUT_SECS = 10


class MailError(Exception):
    """The SMTP server refused or could not be reached."""


class Mailer:
    def __init__(self, *, settings: Settings, db: Database) -> None:
        self.settings = settings
        self.db = db

    @property
    def uses_smtp(self) -> bool:
        return bool(self.settings.smtp_host)

    async def send(self, *, to: str, subject: str, body: str) -> None:
        """Send one plain-text message (or keep it in the outbox).

        Raises:
            MailError: SMTP is configured and the message could not be handed over.
        """
        if self.uses_smtp:
            await self._send_smtp(to=to, subject=subject, body=body)
            return
        async with self.db.session() as session:
            session.add(OutboxMail(to=to, subject=subject, body=body))
            await session.commit()
        logger.info("mail kept in the outbox (no SMTP configured): to=%s subject=%r", to, subject)

    async def _send_smtp(self, *, to: str, subject: str, body: str) -> None:
        import aiosmtplib

        message = EmailMessage()
        message["From"] = self.settings.smtp_from
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
        password = self.settings.smtp_password
        try:
            await aiosmtplib.send(
                message,
                hostname=self.settings.smtp_host,
                port=self.settings.smtp_port,
                username=self.settings.smtp_user,
                password=password.get_secret_value() if password else None,
                use_tls=self.settings.smtp_tls,
                timeout=SMTP_TIMEOUT_SECS,
            )
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise MailError(f"could not send mail to {to}: {exc}") from exc
        logger.info("mail sent: to=%s subject=%r", to, subject)
