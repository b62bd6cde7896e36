"""``python -m sim`` runs the ``runfatigue`` command line."""
import sys

from .cli import main

sys.exit(main())
