"""The embedded default's secret key: made once, kept in a file only its owner can read.

`make run` on a fresh machine has no SECRET_KEY in its environment, yet runs with DEBUG off, and
its web server, worker and beat must agree on one key that survives restarts (it signs sessions
and password-reset links and, through FIELD_ENCRYPTION_KEY, encrypts stored CalDAV passwords).
Imported by settings, so it uses nothing from Django.
"""

import os
import secrets
from pathlib import Path


def read_or_create_secret_key(path: Path) -> str:
    """The key stored at `path`; a new random one written there (mode 600) when there is none.

    Web, worker and beat start at the same moment: each writes its candidate to a private file
    and hard-links it into place, which succeeds for exactly one of them; all then read the
    winner. A reader therefore never sees a half-written file.
    """
    if not path.exists():
        _create(path)
    key = path.read_text().strip()
    if not key:
        raise RuntimeError(f"{path} is empty: delete it (a new key is made) or set SECRET_KEY.")
    return key


def _create(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    candidate = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(50) + "\n")
        os.link(candidate, path)
    except FileExistsError:
        pass  # another process made it first: use theirs
    finally:
        candidate.unlink()
