"""The read-only web app (``storyline serve``): see :mod:`storyline.outputs.web.app`."""
