"""``python -m sim`` runs the ``runfatigue`` command line."""
import sys

from .interface.cli import main

sys.exit(main())
