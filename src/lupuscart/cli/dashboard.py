"""``lupuscart app``: serve the web dashboard on loopback (module named ``dashboard`` so it does not shadow
the root ``app`` object)."""

from __future__ import annotations

import typer

from ..app import serve

_PARAGRAPHS = (
    "Serve the web dashboard: Patient (one patient's journey and time courses for a chosen profile and "
    "protocol), Trial (run or load a virtual trial: endpoints with intervals, Kaplan-Meier curves, arms) and "
    "Score (upload a visits CSV, download it scored).",
    "It binds the loopback address 127.0.0.1 only, so it is reachable from this machine and nowhere else; "
    "--host changes that explicitly (e.g. --host 0.0.0.0 exposes it to the network: do so only on a trusted "
    "network). Requests must name this machine by a loopback name (127.0.0.1, localhost) or the --host address. "
    "Nothing is sent anywhere: no telemetry, no external scripts or fonts.",
    "The Trial page loads `lupuscart trial --out` folders from inside --results-root DIR only (default: the "
    "current directory); paths outside it are refused.",
    "Example:",
    "  lupuscart app --port 8050",
    "then open http://127.0.0.1:8050/ in a browser; Ctrl+C stops it.",
)


def register(app: typer.Typer) -> None:
    """Attach ``app`` (the dashboard) to the root command."""
    app.command("app", help="\n\n".join(_PARAGRAPHS))(dashboard)


def dashboard(
    port: int = typer.Option(8050, "--port", "-p", help="TCP port to listen on (1-65535)."),
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Address to bind; loopback by default (only this machine can connect)."
    ),
    results_root: str | None = typer.Option(
        None, "--results-root", help="Folder whose trial results the Trial page may load (default: current folder)."
    ),
) -> None:
    """Serve the dashboard (see the command's help)."""
    serve(port=port, host=host, results_root=results_root)
