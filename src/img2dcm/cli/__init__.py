"""Command-line front doors: the classic DCMTK syntax and the profile subcommands."""
