"""narrator: a stretching routine in, one voice-guided, chaptered MP3 out."""


def __getattr__(name: str) -> str:
    # Looked up on demand: importlib.metadata costs tens of milliseconds, which every build
    # and every speech helper process would pay at start-up.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("narrator")
        except PackageNotFoundError:  # running from a source tree that was never installed
            return "0.0.0+source"
    raise AttributeError(f"module 'narrator' has no attribute {name!r}")
