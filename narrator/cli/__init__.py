"""The command line: typer commands over the library, and the rendering of what it returns."""

from narrator.cli.commands import app, main

__all__ = ["app", "main"]
