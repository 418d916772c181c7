"""``python -m reltruth`` runs the command line."""

from reltruth.cli import main

raise SystemExit(main())
