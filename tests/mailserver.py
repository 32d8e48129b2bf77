"""A real SMTP server on a loopback port of its own, for tests that deliver through SMTP.

It accepts the first ``accept`` messages, then holds its answer to the next one (the client waits, as it
would on a mail server that hangs) until ``accept_everything()``; the held message is then refused, since
its sender is gone by then. Only the messages it answered "250" to count as delivered.
"""

import asyncio
import email
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from aiosmtpd.smtp import SMTP


@dataclass(frozen=True)
class Delivered:
    to: tuple[str, ...]
    subject: str


class StallingMailbox:
    def __init__(self, accept: int | None = None):
        self.accept = accept
        self.delivered: list[Delivered] = []
        self.stalled = threading.Event()  # a client is waiting for the held answer
        self._lock = threading.Lock()
        self._release: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.port = 0

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            hold = self.accept is not None and len(self.delivered) >= self.accept
        if hold:
            self.stalled.set()
            await self._release.wait()
            return "451 4.3.0 Try again later"
        subject = email.message_from_bytes(envelope.original_content or envelope.content)["Subject"] or ""
        with self._lock:
            self.delivered.append(Delivered(tuple(envelope.rcpt_tos), str(subject)))
        return "250 OK"

    def accept_everything(self) -> None:
        with self._lock:
            self.accept = None
        self._loop.call_soon_threadsafe(self._release.set)

    @property
    def mailer(self) -> dict:
        """MAILERS settings that deliver here."""
        options = {"host": "127.0.0.1", "port": self.port, "use_tls": False, "timeout": 10}
        return {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}}


@contextmanager
def smtp_server(accept: int | None = None):
    """Serve a StallingMailbox on 127.0.0.1 and a free port, in a thread, for the duration of the block."""
    mailbox = StallingMailbox(accept)
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    failure: list[BaseException] = []

    async def serve():
        mailbox._loop = loop
        mailbox._release = asyncio.Event()
        server = await loop.create_server(lambda: SMTP(mailbox, hostname="mail.test"), "127.0.0.1", 0)
        mailbox.port = server.sockets[0].getsockname()[1]
        ready.set()
        return server

    def run():
        try:
            server = loop.run_until_complete(serve())
        except BaseException as error:  # reported to the test below
            failure.append(error)
            ready.set()
            return
        loop.run_forever()
        server.close()
        for task in asyncio.all_tasks(loop):
            task.cancel()
        loop.run_until_complete(asyncio.sleep(0))
        loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(timeout=10), "the SMTP server did not start"
    if failure:
        raise failure[0]
    try:
        yield mailbox
    finally:
        if mailbox._release is not None:
            loop.call_soon_threadsafe(mailbox._release.set)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
