"""``python -m graph`` runs the ``diplo`` command."""

from graph.cli import cli

cli(prog_name="diplo")
