"""Personal data: which fields hold it, whose rows a user may read it on, and the lookups that would reveal it.

A model declares its personal fields next to them::

    PERSONAL_FIELDS = ("email", "date_of_birth")

or ``PERSONAL_FIELDS = ALL`` when the whole row is the person's (an applicant's file). The module that owns the
model registers, once, the rule saying on which rows a user may read them, as a SQL condition (``register``), so
lists decide it in their query. The module's own pages and API read the data through the selector that holds
that rule; the admin (``cooperation.admin.PersonalDataAdminMixin``), whose generic lookups reach every field, uses
these declarations to:

- refuse filters on personal data to anyone without ``PERMISSION``, and narrow them to the rows whose data the
  user may see for everyone else: a count of matches would otherwise answer yes/no questions about the data
  ("is there an applicant born on 14 March 1997?");
- search personal data only on those rows;
- never show, sort or list them where the rule does not admit the user.

The system check in ``cooperation.admin`` and the tests that walk every admin, page filter and API list use the
same declarations, so a new front end cannot forget a personal field.

A lookup "reaches" personal data when its path, followed through relations, names a personal field or a model
whose whole row is personal: ``email__istartswith``, ``application__date_of_birth__year``, ``attachments__isnull``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db.models import Model, Q
from django.db.models.constants import LOOKUP_SEP

from cooperation.roles import Perm

ALL = "__all__"
# Who may filter or search on personal data at all (and then only on the rows the rule admits them to).
PERMISSION = Perm.SEE_PERSONAL_DATA
# The prefixes the admin's search_fields and the orderings put before a path.
_PATH_PREFIXES = "^=@-+"

_rules: dict[type[Model], Callable[[object], Q]] = {}


def register(model: type[Model], visible_to: Callable[[object], Q]) -> None:
    """Say on which rows of ``model`` a user may read its personal fields: ``visible_to(user)`` is a condition on
    ``model``'s rows, evaluated in SQL."""
    if not personal_fields(model):
        raise ImproperlyConfigured(f"{model.__name__} declares no PERSONAL_FIELDS: it needs no privacy rule.")
    _rules[model] = visible_to


def _declared(model: type[Model]):
    """``model``'s declaration; a model's change history (simple-history) holds what the model holds."""
    tracked = getattr(model, "instance_type", None)
    return getattr(tracked if isinstance(tracked, type) else model, "PERSONAL_FIELDS", ())


def personal_fields(model: type[Model]) -> frozenset[str]:
    """The names of ``model``'s personal fields (every field but the id when the whole row is personal)."""
    declared = _declared(model)
    if declared == ALL:
        return frozenset(
            field.name
            for field in model._meta.get_fields()
            if (field.concrete and not field.primary_key) or (field.many_to_many and not field.auto_created)
        )
    names = {field.name for field in model._meta.get_fields()}
    return frozenset(name for name in declared if name in names)


def is_wholly_personal(model: type[Model]) -> bool:
    return _declared(model) == ALL


def personal_models() -> list[type[Model]]:
    """Every installed model that holds personal data."""
    return [model for model in apps.get_models() if personal_fields(model)]


def undeclared_fields(model: type[Model]) -> list[str]:
    """Names in ``model``'s PERSONAL_FIELDS that are not its fields (a typo would leave a field unguarded)."""
    declared = getattr(model, "PERSONAL_FIELDS", ())
    if declared == ALL:
        return []
    names = {field.name for field in model._meta.get_fields()}
    return [name for name in declared if name not in names]


def _rule(model: type[Model]):
    tracked = getattr(model, "instance_type", None)
    if model not in _rules and isinstance(tracked, type) and tracked in _rules:
        # A version of a record is read under the record's rule (a deleted record's versions: by nobody here).
        return lambda user: Q(
            **{f"{tracked._meta.pk.attname}__in": tracked._default_manager.filter(_rules[tracked](user)).values("pk")}
        )
    return _rules.get(model)


def unruled_models() -> list[type[Model]]:
    """Models that declare personal fields but whose module never said who may see them."""
    return [model for model in personal_models() if _rule(model) is None]


def condition(model: type[Model], user) -> Q:
    """The rows of ``model`` whose personal data ``user`` may read."""
    rule = _rule(model)
    if rule is None:
        raise ImproperlyConfigured(
            f"{model.__name__} declares personal fields but no rule says who may see them "
            "(cooperation.personal_data.register)."
        )
    return rule(user)


@dataclass(frozen=True)
class PersonalPath:
    """Where a lookup path reaches personal data."""

    prefix: str  # the relations from the queried model to the model holding the data ("" for the model itself)
    model: type[Model]  # the model holding the data
    to_many: bool  # the path crosses a one-to-many or many-to-many relation on the way

    def visible_rows(self, user) -> Q:
        """The rows of the queried model whose data reached by this path ``user`` may read.

        Exact for the model itself and through foreign keys. Across a to-many relation another related row
        could satisfy it, so such paths are refused instead of narrowed (``narrowable``).
        """
        rows = condition(self.model, user)
        if not self.prefix:
            return rows
        visible = self.model._default_manager.filter(rows).values("pk")
        return Q(**{f"{self.prefix}{LOOKUP_SEP}in": visible})

    @property
    def narrowable(self) -> bool:
        return not self.to_many


def strip_prefix(path: str) -> str:
    return str(path).lstrip(_PATH_PREFIXES)


def personal_path(model: type[Model], lookup: str) -> PersonalPath | None:
    """Where ``lookup`` (a filter, search or ordering path from ``model``, with any transforms and lookups after
    the fields) reaches personal data, or None when it does not."""
    current, prefix, to_many = model, [], False
    for part in strip_prefix(lookup).split(LOOKUP_SEP):
        opts = current._meta
        if part == "pk":
            part = opts.pk.name
        try:
            field = opts.get_field(part)
        except FieldDoesNotExist:
            return None  # a transform or a lookup ("year", "istartswith"): no personal field was named
        if field.name in personal_fields(current):  # by name: "application_id" is the field "application"
            return PersonalPath(LOOKUP_SEP.join(prefix), current, to_many)
        related = field.related_model if field.is_relation else None
        if related is None or not isinstance(related, type):
            return None
        to_many = to_many or bool(field.one_to_many or field.many_to_many)
        prefix.append(part)
        if is_wholly_personal(related):
            return PersonalPath(LOOKUP_SEP.join(prefix), related, to_many)
        current = related
    return None


def may_look_up(user) -> bool:
    """Whether ``user`` may filter or search on personal data at all; still only on the rows the rule admits."""
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(PERMISSION))


def reachable_paths(model: type[Model], depth: int = 3) -> list[str]:
    """Every path from ``model`` to a personal field within ``depth`` relations: what an admin, a filter or a sort
    parameter could be asked to look up. The tests walk every admin with these."""
    found: list[str] = []
    frontier: list[tuple[type[Model], tuple[str, ...]]] = [(model, ())]
    for _ in range(depth + 1):
        following = []
        for current, prefix in frontier:
            for field in current._meta.get_fields():
                name = field.name  # a reverse relation's name is the one lookups use
                path = (*prefix, name)
                if name in personal_fields(current):
                    found.append(LOOKUP_SEP.join(path))
                    continue
                related = field.related_model if field.is_relation else None
                if related is None or not isinstance(related, type):
                    continue
                if is_wholly_personal(related):
                    found.append(LOOKUP_SEP.join(path))
                elif len(path) <= depth:
                    following.append((related, path))
        frontier = following
    return sorted(set(found))
