"""The atlas in a browser: a local web app and a self-contained offline page.

* :func:`export_atlas` - the atlas page as one offline HTML file (``hedgewatch atlas``);
  needs nothing beyond the core dependencies.
* :func:`create_app` - the FastAPI app behind ``hedgewatch serve`` (the ``web`` extra:
  ``pip install 'hedgewatch[web]'``): the atlas page, state pages, and a JSON API under
  ``/api/`` described by OpenAPI.

Every script, style sheet and the map geometry ship in ``hedgewatch/web/static`` (vendored
from npm, see ``static/vendor/VENDORED.md``); nothing is fetched at run time.
"""

from __future__ import annotations

from typing import Any

from hedgewatch.web._export import export_atlas


def create_app(*args: Any, **kwargs: Any) -> Any:
    """The web app (see :func:`hedgewatch.web._app.create_app`); needs the ``web`` extra."""
    from hedgewatch.web._app import create_app as _create

    return _create(*args, **kwargs)


__all__ = ["create_app", "export_atlas"]
