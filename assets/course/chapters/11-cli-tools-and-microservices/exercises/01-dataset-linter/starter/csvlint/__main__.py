"""Makes `python3 -m csvlint ...` run the command line; main() returns the exit status."""
from csvlint.cli import main

raise SystemExit(main())
