"""The read-only web app (``storyline serve``): see :mod:`storyline.web.app`."""
