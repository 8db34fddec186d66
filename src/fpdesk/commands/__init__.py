"""Command-line subcommands, one module per area; cli.py wires them together."""
