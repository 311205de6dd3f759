"""`python -m mockvoso serve`: the CLI without relying on the console script being on PATH."""

from mockvoso.serving.cli import main

raise SystemExit(main())
