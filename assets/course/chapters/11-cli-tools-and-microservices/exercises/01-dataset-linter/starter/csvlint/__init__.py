"""csvlint: a dataset linter. The rules are in csvlint.checks, the command line in csvlint.cli."""
