"""What each module contributes to the whole, declared once in its ``AppConfig.ready()``.

The configuration (URLs, API routes, ``load_demo``) and the pages that aggregate (the portal's home, the
dashboard, a programme's or a partner's page) read this registry and never import a module by name, so a new
module is added by writing it and listing it in ``INSTALLED_APPS``::

    class FinanceConfig(AppConfig):
        def ready(self):
            registry.urls("finance/", "programs.finance.urls")
            registry.urls("portal/finance/", "programs.finance.portal_urls")
            registry.api_routes("programs.finance.api.urls")
            registry.panel("portal.home", "finance/portal/_home_panel.html", "programs.finance.panels.portal_home")
            registry.demo("programs.finance.demo.load", order=30)

A cooperation module laid out the usual way says all of that, and the kinds of message it sends, in one call:
``registry.cooperation_module("programs.finance", "finance/", order=30, portal_home=..., outbox_kinds=...)``,
which its ``AppConfig`` makes when it is a ``registry.CooperationModuleConfig``.

Callables are named by dotted path and imported when first used, so registering never imports the module's
views or models while apps are still loading.
"""

from dataclasses import dataclass
from functools import cached_property

from django.apps import AppConfig
from django.utils.module_loading import import_string

from cooperation.outbox.kinds import Kind, register_kind


@dataclass(frozen=True)
class UrlInclude:
    prefix: str
    urlconf: str


@dataclass(frozen=True)
class Panel:
    """A section a module adds to another page: ``place`` names the page ("portal.home", "programme.detail",
    "partner.detail", "dashboard"); ``context`` is the dotted path of ``(request, record) -> dict | None``
    (None: nothing to show to this user)."""

    place: str
    template: str
    context: str
    order: int = 50

    @cached_property
    def context_function(self):
        return import_string(self.context)


@dataclass(frozen=True)
class DemoLoader:
    loader: str
    order: int

    def __call__(self, **options):
        return import_string(self.loader)(**options)


@dataclass(frozen=True)
class Measure:
    """A figure a module computes from its own records, which a results indicator may be fed by: ``key`` names it
    ("scholarships.completed"), ``units`` are the indicator units it fits ("number", "money"), and ``compute`` is
    the dotted path of ``(indicator, starts_on, ends_on) -> MeasuredValue``: the value for the indicator's
    programme (``indicator.result.programme``) over that span, in the indicator's currency for a money figure,
    with its breakdown by dimension value (``("sex", "female")`` → value) and a link to the records behind it."""

    key: str
    label: str
    units: tuple[str, ...]
    compute: str

    @cached_property
    def compute_function(self):
        return import_string(self.compute)


_urls: list[UrlInclude] = []
_api_routes: list[str] = []
_panels: list[Panel] = []
_demo: list[DemoLoader] = []
_measures: dict[str, Measure] = {}
_followers: dict[str, list[str]] = {}
_contributors: dict[str, list[str]] = {}
_export_sources: dict[str, str] = {}

# What a module may contribute to the kernel's cross-module pages, each a dotted path (see ``contribute``):
RISK = "risk"  # (organisation) -> list[cooperation.risk.RiskFlag]: what is wrong with a partner, now
INBOX = "inbox"  # (user) -> list[cooperation.inbox.InboxGroup]: what waits for this user to act
SEARCH = "search"  # (user, query) -> list[cooperation.search.SearchGroup]: what matches, as this user sees it
MONEY_FLOWS = "money_flows"  # (programme_ids, *, currency, span) -> Iterable[money_flows.Flow]: committed and spent
IATI = "iati"  # (programmes) -> Iterable[cooperation.iati.Part | cooperation.iati.Problem]: the IATI file
BULK = "bulk"  # (run) -> None: generated records at scale (``generate_bulk``), in the order of the module's ORDER


def urls(prefix: str, urlconf: str) -> None:
    """Mount a module's URLconf at ``prefix`` (its namespace is the URLconf's ``app_name``)."""
    include = UrlInclude(prefix, urlconf)
    if include not in _urls:
        _urls.append(include)


def api_routes(module: str) -> None:
    """A module's API router: the dotted path of a module with a ``router`` (a DRF router) under /api/v1/."""
    if module not in _api_routes:
        _api_routes.append(module)


def panel(place: str, template: str, context: str, order: int = 50) -> None:
    entry = Panel(place, template, context, order)
    if entry not in _panels:
        _panels.append(entry)


def demo(loader: str, order: int) -> None:
    """A module's demo data: ``loader(run=...)`` runs after those of lower ``order``; ``run`` carries the date,
    the demo users and the organisations the loaders before it made, and a log function."""
    entry = DemoLoader(loader, order)
    if entry not in _demo:
        _demo.append(entry)


def measure(key: str, label, units: tuple[str, ...], compute: str) -> None:
    """Offer a figure computed from the module's records to the results framework (see ``Measure``)."""
    _measures.setdefault(key, Measure(key, label, units, compute))


def follow(event: str, handler: str) -> None:
    """Have ``handler`` (a dotted path) called with the event's keyword arguments each time a service announces
    ``event`` ("programme.dates_changed"), inside that service's transaction: a refusal it raises refuses the
    whole change."""
    handlers = _followers.setdefault(event, [])
    if handler not in handlers:
        handlers.append(handler)


def announce(event: str, **arguments) -> None:
    """A service's change others may follow (see ``follow``); the announcing module names none of them."""
    for handler in _followers.get(event, ()):
        import_string(handler)(**arguments)


def export_source(name: str, source: str) -> None:
    """A list that exports to CSV and XLSX: ``name`` ("finance.loans") and the dotted path of its source,
    ``(request) -> cooperation.exports.tables.Table`` (see cooperation.exports)."""
    _export_sources.setdefault(name, source)


def export_sources() -> dict[str, str]:
    return dict(_export_sources)


def contribute(kind: str, provider: str) -> None:
    """Add ``provider`` (a dotted path) to what the kernel asks for ``kind`` (``RISK``, ``INBOX``, ``SEARCH``,
    ``MONEY_FLOWS``): the partner's risk flags, "waiting for me", search and budget actuals each call every
    provider of their kind and never name a module."""
    providers = _contributors.setdefault(kind, [])
    if provider not in providers:
        providers.append(provider)


def contributors(kind: str) -> list:
    """The callables contributed for ``kind``, in the order the modules registered them."""
    return [import_string(provider) for provider in _contributors.get(kind, ())]


def cooperation_module(
    package: str, prefix: str, *, order: int, portal_home: str, outbox_kinds: tuple[Kind, ...] = ()
) -> None:
    """Everything a cooperation module laid out the usual way contributes: its pages (``<package>.urls``) at
    ``prefix`` and its portal pages (``<package>.portal_urls``) at ``portal/<prefix>``, its API routes
    (``<package>.api.urls``), its demo loader (``<package>.demo.load``) and its block on the portal's home page
    (``portal_home``, filled by ``<package>.panels.portal_home``), both at ``order``, and its kinds of message."""
    demo(f"{package}.demo.load", order)
    panel("portal.home", portal_home, f"{package}.panels.portal_home", order)
    urls(prefix, f"{package}.urls")
    urls(f"portal/{prefix}", f"{package}.portal_urls")
    api_routes(f"{package}.api.urls")
    for kind in outbox_kinds:
        register_kind(kind.name, label=kind.label, still_wanted=kind.still_wanted)


class CooperationModuleConfig(AppConfig):
    """The ``AppConfig`` of a cooperation module laid out the usual way: ``ready()`` makes its
    ``cooperation_module`` call, at the prefix named after its label ("finance/"), at ``order``, with its block on
    the portal's home page (``portal_home``, by default ``<label>/portal/_home_block.html``) and the kinds of
    message ``outbox_kinds()`` returns (imported there, once the apps are loaded).

    Subclass it as ``registry.CooperationModuleConfig``: a second AppConfig class named in ``apps.py`` would hide
    the module's own from Django's discovery."""

    order: int
    portal_home = ""

    def outbox_kinds(self) -> tuple[Kind, ...]:
        return ()

    def ready(self) -> None:
        cooperation_module(
            self.name,
            f"{self.label}/",
            order=self.order,
            portal_home=self.portal_home or f"{self.label}/portal/_home_block.html",
            outbox_kinds=self.outbox_kinds(),
        )


def url_includes() -> list[UrlInclude]:
    return list(_urls)


def api_route_modules() -> list[str]:
    return list(_api_routes)


def panels(place: str) -> list[Panel]:
    return sorted((entry for entry in _panels if entry.place == place), key=lambda entry: entry.order)


def measures() -> list[Measure]:
    return sorted(_measures.values(), key=lambda entry: entry.key)


def measure_named(key: str) -> Measure | None:
    return _measures.get(key)


def demo_loaders() -> list[DemoLoader]:
    return sorted(_demo, key=lambda entry: entry.order)


def rendered_panels(place: str, request, record=None) -> list[tuple[str, dict]]:
    """(template, context) for each panel at ``place`` that has something for this user."""
    shown = []
    for entry in panels(place):
        context = entry.context_function(request, record)
        if context is not None:
            shown.append((entry.template, context))
    return shown
