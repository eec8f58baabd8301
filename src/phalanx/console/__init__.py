"""The local web console: `phalanx serve` shows machines and executions at `/`.

Server-rendered HTML pages over the same operations the API answers (called
in-process, not over HTTP), one small stylesheet and one small script of our
own served from the same port: no build step, nothing fetched from elsewhere.

    GET  /                       machines and recent executions
    GET  /machine?arn=...        a machine: its graph, definition, start form
    POST /machine/start          start an execution (form: arn, name, input)
    GET  /execution?arn=...      an execution, updating live while it runs
    GET  /execution/live?arn=... the parts of that page that changed (JSON)
    POST /execution/stop         stop it (form: arn)

`handle` answers one request; `phalanx serve` passes it to the API server.
"""

from __future__ import annotations

from phalanx.console.routes import handle

__all__ = ["handle"]
