"""diplograph: a knowledge graph of diplomatic reactions to crises.

The package is a library first (``graph.store``, ``graph.lookup``, ``graph.views`` …) and the
``diplo`` command second; the command only parses options and calls these functions.
"""

from __future__ import annotations

__version__ = "0.1.0"
