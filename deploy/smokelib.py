"""Helpers for deploy/smoke (standard library only): a small HTTP client with a cookie jar, the
Django admin's change form as a browser submits it, and just enough ICS parsing."""

import datetime as dt
import html.parser
import json
import urllib.error
import urllib.parse
import urllib.request
import zoneinfo
from http.cookies import SimpleCookie

UTC = dt.UTC


class Missing(Exception):
    """The endpoint is not there yet (404/405)."""


class Failed(Exception):
    """The endpoint answered, but not as the contract says."""


class Skipped(Exception):
    """A step this one needs did not pass."""


# --- HTTP -------------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # we look at redirects ourselves (cookies ride on them)


class Http:
    """A tiny client: JSON helpers, an optional token, and a cookie jar that (unlike
    http.cookiejar) also sends Secure cookies over plain HTTP, as a browser does on loopback."""

    opener = urllib.request.build_opener(_NoRedirect)

    def __init__(self, base: str, token: str | None = None):
        self.base, self.token, self.cookies = base.rstrip("/"), token, {}

    def request(self, method, path, *, data=None, form=None, headers=None, raw=None):
        h = {"Accept": "application/json", **(headers or {})}
        if self.token:
            h["Authorization"] = f"Token {self.token}"
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = raw
        if data is not None:
            body, h["Content-Type"] = json.dumps(data).encode(), "application/json"
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True).encode()
            h["Content-Type"] = "application/x-www-form-urlencoded"
        url = path if path.startswith("http") else self.base + path
        req = urllib.request.Request(url, data=body, method=method, headers=h)
        try:
            with self.opener.open(req, timeout=30) as r:
                status, hdrs, content = r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            status, hdrs, content = e.code, e.headers, e.read()
        for header in hdrs.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                self.cookies[key] = morsel.value
        return status, hdrs, content

    def json(self, method, path, data=None, expect=(200,)):
        status, _, content = self.request(method, path, data=data)
        try:
            body = json.loads(content or b"null")
        except ValueError:
            body = None
        if status in (404, 405) and status not in expect:
            raise Missing(f"{method} {path} -> {status}")
        if status not in expect:
            raise Failed(f"{method} {path} -> {status}: {content[:300]!r}")
        return body


def rows(body) -> list:
    if isinstance(body, dict):
        return body.get("results", [])
    return body or []


def parse_time(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


# --- The Django admin (the owner's way to change studio settings) ------------------------------


class FormParser(html.parser.HTMLParser):
    """The fields of one <form> as a browser would submit them (no submit buttons)."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self._select = self._textarea = None
        self._options: list = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or not a.get("name") and tag != "option":
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append([a["name"], a.get("value", "on" if kind == "checkbox" else "")])
        elif tag == "textarea":
            self._textarea = [a["name"], ""]
        elif tag == "select":
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select:
            self._options.append((a.get("value", ""), "selected" in a))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append([self._textarea[0], self._textarea[1].lstrip("\n")])
            self._textarea = None
        elif tag == "select" and self._select:
            chosen = [v for v, sel in self._options if sel]
            for value in chosen or [v for v, _ in self._options[:1]]:
                self.fields.append([self._select, value])
            self._select = None


class Admin:
    def __init__(self, base: str, path: str, email: str, password: str):
        self.http, self.prefix = Http(base), "/" + path.strip("/") + "/"
        self.email, self.password = email, password

    def login(self):
        self.http.request("GET", f"{self.prefix}login/", headers={"Accept": "text/html"})
        form = {
            "csrfmiddlewaretoken": self.http.cookies.get("csrftoken", ""),
            "username": self.email,
            "password": self.password,
            "next": self.prefix,
        }
        status, _, _ = self.http.request("POST", f"{self.prefix}login/", form=form)
        if status != 302 or "sessionid" not in self.http.cookies:
            raise Failed(f"admin login at {self.prefix} as {self.email} -> {status}")

    def studio_form(self):
        path = f"{self.prefix}accounts/studio/1/change/"
        status, _, content = self.http.request("GET", path, headers={"Accept": "text/html"})
        if status != 200:
            raise Failed(f"GET {path} -> {status}")
        parser = FormParser("studio_form")
        parser.feed(content.decode())
        return path, parser.fields

    def edit_reminder_offsets(self, change) -> str:
        """Save the studio with reminder_offsets_minutes = change(current text); return the old."""
        path, fields = self.studio_form()
        old = next((v for k, v in fields if k == "reminder_offsets_minutes"), None)
        if old is None:
            raise Failed("the studio admin form has no reminder_offsets_minutes field")
        new = change(old)
        fields = [(k, new if k == "reminder_offsets_minutes" else v) for k, v in fields]
        fields.append(("_save", "Save"))
        status, _, content = self.http.request(
            "POST", path, form=fields, headers={"Referer": self.http.base + path}
        )
        if status != 302:
            raise Failed(f"saving studio settings -> {status}: {content[:300]!r}")
        return old


# --- ICS ----------------------------------------------------------------------------------------


def ics_events(text: str) -> list[dict]:
    """VEVENTs as {property: (params, value)}, after unfolding (RFC 5545 3.1)."""
    lines = text.replace("\r\n", "\n").replace("\n ", "").replace("\n\t", "").split("\n")
    events, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT" and current is not None:
            events.append(current)
            current = None
        elif current is not None and ":" in line:
            head, value = line.split(":", 1)
            name, *params = head.split(";")
            current[name.upper()] = (dict(p.split("=", 1) for p in params if "=" in p), value)
    return events


def ics_time(params: dict, value: str) -> dt.datetime | None:
    if len(value) == 8:  # a DATE, not a DATE-TIME
        return None
    moment = dt.datetime.strptime(value.rstrip("Z"), "%Y%m%dT%H%M%S")
    if value.endswith("Z"):
        return moment.replace(tzinfo=UTC)
    zone = zoneinfo.ZoneInfo(params["TZID"]) if "TZID" in params else UTC
    return moment.replace(tzinfo=zone).astimezone(UTC)
