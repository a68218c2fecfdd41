"""Container health check for the web role: GET /healthz on this container's gunicorn.

Sent as the proxy would send it (a host from ALLOWED_HOSTS, X-Forwarded-Proto: https), so
neither host validation nor the HTTPS redirect gets in the way. Exit 0 when healthy.
"""

import os
import sys
import urllib.error
import urllib.request

host = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip().lstrip(".")
if host in ("", "*"):
    host = "localhost"
port = os.environ.get("PORT") or "8000"
request = urllib.request.Request(
    f"http://127.0.0.1:{port}/healthz",
    headers={"Host": host, "X-Forwarded-Proto": "https", "Accept": "application/json"},
)
try:
    with urllib.request.urlopen(request, timeout=8) as response:
        sys.exit(0 if response.status == 200 else 1)
except (urllib.error.URLError, OSError) as exc:
    print(f"healthz: {exc}", file=sys.stderr)
    sys.exit(1)
