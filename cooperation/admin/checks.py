"""The system check that no admin forgets: every admin of a model holding personal data guards it."""

from django.apps import apps
from django.contrib.admin.sites import all_sites
from django.core import checks

from cooperation import personal_data
from cooperation.admin.personal_data import PersonalDataAdminMixin


def _entry_names(model_admin, entry) -> list[str]:
    """The lookup paths a list column, filter or sort entry uses: its name and the ordering it declares."""
    if isinstance(entry, list | tuple):
        entry = entry[0]
    names = [entry] if isinstance(entry, str) else []
    for owner in (model_admin, model_admin.model):
        attribute = getattr(owner, entry, None) if isinstance(entry, str) else entry
        ordering = getattr(attribute, "admin_order_field", None)
        if ordering:
            names.append(str(getattr(ordering, "name", ordering)))
    return names


def personal_data_errors(model_admin) -> list[checks.CheckMessage]:
    """What in one admin's declaration would show, filter, sort or search personal data unguarded."""
    model = model_admin.model
    label = type(model_admin).__qualname__
    guarded = isinstance(model_admin, PersonalDataAdminMixin)

    def reaches(name: str) -> personal_data.PersonalPath | None:
        path = personal_data.personal_path(model, name)
        own_row = path is not None and guarded and path.model is model and not path.prefix
        return None if own_row and personal_data.is_wholly_personal(model) else path

    errors = []

    def error(code: str, message: str, hint: str) -> None:
        errors.append(checks.Error(message, hint=hint, obj=type(model_admin), id=f"kerjasama.{code}"))

    listed = {
        "list_display": model_admin.list_display,
        "list_display_links": model_admin.list_display_links or (),
        "list_filter": model_admin.list_filter,
        "date_hierarchy": [model_admin.date_hierarchy] if model_admin.date_hierarchy else [],
        "ordering": model_admin.ordering or (),
        "sortable_by": model_admin.sortable_by or (),
        "history_list_display": getattr(model_admin, "history_list_display", ()) or (),
    }
    for option, entries in listed.items():
        for entry in entries:
            for name in _entry_names(model_admin, entry):
                if reaches(name):
                    error(
                        "E104",
                        f"{label}.{option} uses {name!r}, which is personal data.",
                        "A list cannot tell, row by row, whose personal data may be shown: leave it to the record's "
                        "page.",
                    )
    searched = [(field, reaches(field)) for field in model_admin.search_fields or ()]
    for field, path in searched:
        if path is not None and not path.narrowable:
            error(
                "E105",
                f"{label}.search_fields searches {field!r}, personal data behind a to-many relation.",
                "Such a search cannot be narrowed to the rows whose data the user may see.",
            )
    needs_guard = bool(personal_data.personal_fields(model)) or any(path for _, path in searched)
    if needs_guard and not guarded:
        error(
            "E103",
            f"{label} shows or searches personal data without PersonalDataAdminMixin.",
            "Put cooperation.admin.PersonalDataAdminMixin first in its bases.",
        )
    for inline in model_admin.inlines:
        if personal_data.personal_fields(inline.model):
            error(
                "E106",
                f"{label} has an inline of {inline.model.__name__}, which holds personal data.",
                "Inlines are not guarded: link to the records' own admin instead.",
            )
    return errors


def check_personal_data(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every model's personal fields exist and have a rule; no admin shows, filters, sorts or searches them
    unguarded; no model sorts its rows by them (lists sorted by a relation use that order)."""
    errors = []
    for model in apps.get_models():
        for name in personal_data.undeclared_fields(model):
            errors.append(
                checks.Error(
                    f"{model.__name__}.PERSONAL_FIELDS names {name!r}, which is not one of its fields.",
                    obj=model,
                    id="kerjasama.E101",
                )
            )
    for model in personal_data.unruled_models():
        errors.append(
            checks.Error(
                f"{model.__name__} holds personal data but no rule says who may see it.",
                hint="Call cooperation.personal_data.register() from its module's AppConfig.ready().",
                obj=model,
                id="kerjasama.E102",
            )
        )
    for model in personal_data.personal_models():
        if personal_data.is_wholly_personal(model):
            continue
        for name in model._meta.ordering or ():
            if isinstance(name, str) and personal_data.personal_path(model, name):
                errors.append(
                    checks.Error(
                        f"{model.__name__}.Meta.ordering sorts by {name!r}, which is personal data.",
                        obj=model,
                        id="kerjasama.E107",
                    )
                )
    for site in all_sites:
        for model_admin in site._registry.values():
            errors.extend(personal_data_errors(model_admin))
    return errors
