"""Every list exports to CSV and XLSX, as the person asking sees it: the page's filters and sort, only the rows and
the columns they may see, headers in their language.

A module declares each list once, as a *source* registered in its ``AppConfig.ready()``::

    registry.export_source("finance.loans", "programs.finance.exports.loans")

A source is ``(request) -> Table``: ``request`` has ``user`` and ``GET`` (the list page's query string) and may
be a stand-in (``ExportRequest``) when the export runs on the worker or on a schedule, so a source reads nothing
else from it. It checks the list's own permission (raising ``PermissionDenied``) and returns the rows the list
page would show, in its order, with the columns of the file. The page shows the buttons with
``{% export_buttons "finance.loans" %}``.

Small exports stream at once; above ``EXPORT_BACKGROUND_ROWS`` rows they run on the worker as an ``ExportJob``
whose page shows the progress and then the download, private to whoever asked and deleted after
``EXPORT_FILE_DAYS`` days.

Beside the buttons, a list's filters and sort can be saved as a named view (``saved.SavedView``), private or shared
with a role, and a saved view scheduled weekly or monthly as an XLSX report to chosen users, each getting the list
as they see it (``scheduled``), once per period, through the outbox.
"""
