"""``python -m crmclean`` runs the command line."""

import sys

from crmclean.cli import main

sys.exit(main())
