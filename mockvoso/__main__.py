"""`python -m mockvoso serve`: the CLI without relying on the console script being on PATH."""

from mockvoso.cli import main

raise SystemExit(main())
