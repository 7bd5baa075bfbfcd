"""What an attacker's mailbox holds: every link in every email (text, HTML and calendar files), and
whether it opens anything on a live server."""
import re

import requests

LINK = re.compile(r"https?://[^\s\"'<>]+")


def texts_of(message) -> list[str]:
    """Every readable part of an email: text, HTML and attachments (a calendar file carries links)."""
    parts = []
    for part in message.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True) or b""
        parts.append(payload.decode("utf-8", "replace"))
    return parts


def links_in(messages) -> set[str]:
    return {link.rstrip(".,)") for message in messages for text in texts_of(message) for link in LINK.findall(text)}


def private_paths(links, base: str) -> set[str]:
    """The links that point at a private page of the server (manage, feed, application, consent)."""
    paths = {link[len(base):] for link in links if link.startswith(base)}
    return {p for p in paths if p.startswith(("/manage/", "/calendar/", "/calls/application/", "/consent/"))
            and p != "/calendar.ics"}


def opens(server_url: str, path: str) -> bool:
    return requests.get(server_url + path, timeout=30).status_code == 200
