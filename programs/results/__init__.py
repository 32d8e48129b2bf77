"""Results: each programme's results framework (results, indicators, baselines, targets per reporting period,
disaggregation), the partners' periodic reports of actual values against it, and the officers' review.

The data maps one-to-one to IATI 2.03's ``result`` element: a ``Result`` is a ``result`` (its ``level`` the IATI
result type), an ``Indicator`` an ``indicator`` (unit → ``measure``, direction → ``ascending``, baseline), a
``Period`` with its ``PeriodTarget`` a ``period``/``target``, an approved ``ActualValue`` an ``actual`` and its
``Breakdown`` rows ``dimension`` elements.
"""
