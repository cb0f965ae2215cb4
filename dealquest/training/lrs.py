"""Pushing a store's xAPI statements to a Learning Record Store (LRS), once each.

The results store stays the source of truth: the LRS gets the statements `results export --format
xapi` writes, in batches, and the store remembers which ones each LRS acknowledged, so a second
push sends only what is new and a push cut off half way resumes where it stopped. httpx does the
HTTP (a kept client with timeouts and basic auth, rather than hand-written requests).

The xAPI 1.0.3 rules this follows: POST to `statements` takes a list; an LRS that already holds a
statement with the same id and the same content answers 204 or 200 and changes nothing; one with
the same id and other content answers 409 Conflict and stores none of the batch; PUT with
`statementId` stores one statement the same way.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import httpx

VERSION_HEADER = {"X-Experience-API-Version": "1.0.3"}
DEFAULT_BATCH = 50
DEFAULT_TIMEOUT = 10.0
USER_ENV = "DEALQUEST_LRS_USER"
PASSWORD_ENV = "DEALQUEST_LRS_PASSWORD"


class LrsError(Exception):
    """A push that could not finish; the message is one line and says what was sent and what is left."""


@dataclass
class PushResult:
    """What one push did."""

    total: int  # statements in the store (for the runs pushed)
    new: int  # of those, not yet acknowledged by this LRS before the push
    sent: int = 0  # stored by the LRS in this push
    already: int = 0  # the LRS held them already, with the same content
    conflicts: list[str] = field(default_factory=list)  # ids the LRS holds with other content

    @property
    def left(self) -> int:
        return self.new - self.sent - self.already - len(self.conflicts)


def endpoint(url: str) -> str:
    """The LRS's xAPI endpoint as the store remembers it: an http(s) URL without credentials, no
    trailing slash. ValueError says what is wrong with it."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(
            f"--lrs must be the LRS's http(s) xAPI endpoint, e.g. http://127.0.0.1:8100/xAPI/, not '{url}'"
        )
    if parts.username or parts.password:
        raise ValueError("put the LRS credentials in --user and --password-file (or the environment), not in the URL")
    if parts.query or parts.fragment:
        raise ValueError("--lrs is the xAPI endpoint alone, without a query or a fragment")
    return f"{parts.scheme}://{parts.netloc}{parts.path}".rstrip("/")


def credentials(user: str | None, password_file: str | None) -> tuple[str, str] | None:
    """Basic-auth credentials from the options, else the environment; None when there are none.
    ValueError names what is missing (never the password)."""
    user = user or os.environ.get(USER_ENV)
    password: str | None
    if password_file:
        try:
            password = Path(password_file).read_text(encoding="utf-8").strip("\r\n")
        except OSError as exc:
            raise ValueError(f"cannot read --password-file {password_file}: {exc.strerror or exc}") from None
        except UnicodeError:
            raise ValueError(f"--password-file {password_file} is not UTF-8 text") from None
    else:
        password = os.environ.get(PASSWORD_ENV)
    if user is None and password is None:
        return None
    if not user or password is None:
        raise ValueError(f"give both a user (--user or {USER_ENV}) and a password (--password-file or {PASSWORD_ENV})")
    return user, password


def push(
    statements: Sequence[dict[str, Any]],
    url: str,
    acknowledged: set[str],
    remember: Callable[[list[str]], None],
    *,
    auth: tuple[str, str] | None = None,
    batch: int = DEFAULT_BATCH,
    timeout: float = DEFAULT_TIMEOUT,
    transport: httpx.BaseTransport | None = None,
) -> PushResult:
    """Send the statements this LRS has not acknowledged, in batches, calling `remember` with the
    ids of each batch it stores (or already held) before the next batch is sent. LrsError on a
    network failure, a timeout or an error answer, after remembering what got through."""
    import httpx  # only pushing pays for it: httpx loads rich when it is installed

    target = endpoint(url)
    todo = [s for s in statements if s["id"] not in acknowledged]
    result = PushResult(total=len(statements), new=len(todo))
    if not todo:
        return result
    with httpx.Client(
        auth=auth, timeout=timeout, headers=VERSION_HEADER, transport=transport, follow_redirects=False
    ) as client:
        for start in range(0, len(todo), max(1, batch)):
            chunk = todo[start : start + max(1, batch)]
            answer = _send(client, "POST", f"{target}/statements", chunk, result)
            if answer.status_code == 409:
                _one_by_one(client, target, chunk, result, remember)
                continue
            _check(answer, result)
            ids = [s["id"] for s in chunk]
            if answer.status_code == 204:
                result.already += len(ids)
            else:
                stored = set(_ids(answer))
                result.sent += sum(1 for i in ids if i in stored)
                result.already += sum(1 for i in ids if i not in stored)
            remember(ids)
    return result


def _one_by_one(
    client: httpx.Client,
    target: str,
    chunk: list[dict[str, Any]],
    result: PushResult,
    remember: Callable[[list[str]], None],
) -> None:
    """A batch the LRS refused for a conflict: each statement alone, so the conflicts are named and
    the rest are stored."""
    for statement in chunk:
        answer = _send(client, "PUT", f"{target}/statements", statement, result, {"statementId": statement["id"]})
        if answer.status_code == 409:
            result.conflicts.append(statement["id"])
            continue
        _check(answer, result)
        result.sent += 1
        remember([statement["id"]])


def _send(
    client: httpx.Client,
    method: str,
    url: str,
    body: object,
    result: PushResult,
    params: dict[str, str] | None = None,
) -> httpx.Response:
    import httpx

    try:
        return client.request(method, url, json=body, params=params)
    except httpx.TimeoutException:
        raise LrsError(f"the LRS at {url} did not answer in time; {_progress(result)}") from None
    except httpx.TransportError as exc:
        raise LrsError(f"cannot reach the LRS at {url} ({_reason(exc)}); {_progress(result)}") from None


def _check(answer: httpx.Response, result: PushResult) -> None:
    if answer.status_code in (200, 204):
        return
    detail = _detail(answer)
    if answer.status_code in (401, 403):
        what = "refused the credentials" if answer.status_code == 401 else "does not let these credentials write"
        raise LrsError(f"the LRS {what} (HTTP {answer.status_code}{detail}); {_progress(result)}")
    raise LrsError(f"the LRS answered HTTP {answer.status_code}{detail}; {_progress(result)}")


def _ids(answer: httpx.Response) -> list[str]:
    try:
        data = answer.json()
    except ValueError:
        return []
    return [str(i) for i in data] if isinstance(data, list) else []


def _detail(answer: httpx.Response) -> str:
    try:
        data = answer.json()
    except ValueError:
        text = answer.text.strip().splitlines()[0][:200] if answer.text.strip() else ""
        return f": {text}" if text else ""
    if isinstance(data, dict) and isinstance(data.get("detail"), str):
        return f": {data['detail'][:200]}"
    return ""


def _reason(exc: httpx.TransportError) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]


def _progress(result: PushResult) -> str:
    done = result.sent + result.already
    return (
        f"{done} of {result.new} new statements got through, {result.left} left; "
        "run `dealquest results push` again to send the rest"
    )
