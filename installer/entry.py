"""Entry point of the frozen app: the same command line as `fpdesk` (no arguments: the window)."""

from fpdesk.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
