"""Pieces every workspace page shares: access, sortable column headers, pagination, moves on a record."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from cooperation.access import require_perm
from cooperation.api.pagination import FromEitherEndPaginator
from cooperation.forms import add_service_error
from cooperation.kept import render_page_kept
from cooperation.roles import Perm

PAGE_SIZE = 25


def workspace_page(*, object_page: bool = False, perm: str | None = None):
    """Require login and the workspace permission, then ``perm`` if given (403 without it).

    Without the workspace permission a list or form page answers 403, but a page about one
    record answers 404, so partner users never learn whether an id exists.
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(Perm.ACCESS_WORKSPACE):
                if object_page:
                    raise Http404
                raise PermissionDenied
            if perm is not None:
                require_perm(request.user, perm)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


@dataclass(frozen=True)
class Column:
    """A table column; ``sort`` is its value for the ``ordering`` parameter, if sortable, and ``order_by`` the
    fields that ordering sorts by when the list page sorts its rows (``list_page``)."""

    label: str
    sort: str = ""
    numeric: bool = False
    order_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class HeaderCell:
    label: str
    numeric: bool
    sort_value: str  # the ordering a click asks for; empty when not sortable
    direction: str  # "ascending", "descending" or "" (for aria-sort)


def header_cells(columns: list[Column], current: str) -> list[HeaderCell]:
    """Column headers that sort by their column; clicking the sorted column again reverses it."""
    cells = []
    for column in columns:
        direction = ""
        sort_value = column.sort
        if column.sort and current == column.sort:
            direction, sort_value = "ascending", f"-{column.sort}"
        elif column.sort and current == f"-{column.sort}":
            direction = "descending"
        cells.append(HeaderCell(str(column.label), column.numeric, sort_value, direction))
    return cells


def posted(request):
    """Form data for a POST (even an empty one, so it is validated), None for a GET."""
    return request.POST if request.method == "POST" else None


def saved_from(request, form, service: Callable, *, refused: Callable | None = None, **arguments):
    """What ``service`` saved from the posted form's valid data, or None: a refusal goes onto the form next to
    its field, and ``refused()`` runs then (an edited record takes back its stored values, which the service had
    overwritten)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return service(**arguments, **form.cleaned_data)
    except ValidationError as error:
        add_service_error(form, error)
        if refused is not None:
            refused()
        return None


def form_page(
    request, form, service: Callable, *, done: Callable, template: str, context: dict, refused=None, **arguments
):
    """A page whose ``form`` ``service`` saves (see ``saved_from``): once saved, ``done(saved)`` gives the success
    message and the URL to go to; until then ``template`` shows the form, any refusal next to its field, with the
    page's ``context``."""
    saved = saved_from(request, form, service, refused=refused, **arguments)
    if saved is None:
        return render(request, template, {"form": form, **context})
    message, url = done(saved)
    messages.success(request, message)
    return redirect(url)


def signed_in_count(context, count: Callable) -> int:
    """``count(user)`` for the signed-in user of the page a template draws (a badge in the navigation); 0 on a
    page drawn without a request."""
    user = getattr(context.get("request"), "user", None)
    return 0 if user is None else count(user)


def paginate(request, queryset):
    return FromEitherEndPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def sorted_rows(queryset, ordering: str, orderings: dict):
    """``queryset`` in the order a column header asks for ("-" first: descending); unknown values keep the
    default order. Rows without a value (no score yet) come last either way."""
    fields = orderings.get(ordering.lstrip("-"))
    if not fields:
        return queryset
    descending = ordering.startswith("-")
    return queryset.order_by(
        *(F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True) for field in fields)
    )


def filter_fields(request, form, main: tuple[str, ...], *, hidden: tuple[str, ...] = ()) -> dict:
    """A filter form's fields: ``main_filters`` shown at once, the rest folded under "More filters" (open when
    one of them is in use) so a phone reaches the table; ``hidden`` ones are left out (sorted by the headers)."""
    fields = [field for field in form if field.name not in hidden]
    more = [field for field in fields if field.name not in main]
    return {
        "main_filters": [field for field in fields if field.name in main],
        "more_filters": more,
        "more_filters_used": any(request.GET.get(field.name) for field in more),
    }


def listed_rows(request, rows, columns=()):
    """``rows`` in the order the list's column headers ask for (``Column.order_by``), as the page and its export
    show them."""
    ordering = request.GET.get("ordering", "")
    orderings = {column.sort: column.order_by for column in columns if column.order_by}
    return sorted_rows(rows, ordering, orderings) if orderings else rows


def require_workspace(user, perm: str | None = None) -> None:
    """What a workspace list page requires, for its export: the workspace, then ``perm`` (403 without)."""
    if not user.has_perm(Perm.ACCESS_WORKSPACE):
        raise PermissionDenied
    if perm is not None:
        require_perm(user, perm)


def in_order(ids, rows):
    """The records of the queryset ``rows`` whose ``ids`` a list page holds, in the order of ``ids``, in one query.

    A list reads its page of ids first, so its sort and OFFSET walk an index and nothing else, and only then
    computes what each row shows beside itself (counts, sums, flags) for those rows alone."""
    ids = list(ids)
    found = rows.filter(pk__in=ids).order_by().in_bulk()
    return [found[pk] for pk in ids if pk in found]


def list_page(request, template: str, rows, *, name: str, columns=(), prepare: Callable | None = None, **context):
    """A paginated list page: ``page_obj``, the page's rows as ``name`` (through ``prepare(rows)`` when given),
    ``columns`` as header cells sorting by the ``ordering`` parameter, and the page's own ``context``. Columns that
    say what they order by (``Column.order_by``) sort the rows here, in the order the headers ask for. The page's
    content is kept for each state of the data, for the same reader and query string (``cooperation.kept``)."""

    def compute() -> dict:
        ordering = request.GET.get("ordering", "")
        page_obj = paginate(request, listed_rows(request, rows, columns))
        if prepare is not None:  # the page's rows as shown (a list may page its ids, then read their rows)
            page_obj.object_list = prepare(page_obj.object_list)
        base = {"page_obj": page_obj, name: page_obj.object_list}
        if columns:
            base["columns"] = header_cells(columns, ordering)
        return base | context

    # A page of a long list counts and reads its rows: kept for each state of the data (cooperation.kept).
    return render_page_kept(request, template, compute)


def paged_by_ids(request, figure_sorts, *, filters: Callable, rows, page: Callable) -> tuple:
    """(filter set, rows, prepare) for ``list_page`` of a list whose rows carry figures (counts, sums) that are
    costly over every row: sorted by one of them (an ``ordering`` in ``figure_sorts``), the filter set is
    ``filters(request)`` over every row with its figures; otherwise ``filters(request, rows)`` over the bare
    ``rows``, paged by their ids, and ``page(ids)`` reads the page's rows with their figures alone."""
    if request.GET.get("ordering", "").lstrip("-") in figure_sorts:
        filter_set = filters(request)
        return filter_set, filter_set.qs, None
    filter_set = filters(request, rows)
    return filter_set, filter_set.qs.values_list("pk", flat=True), page


def list_view(template: str, rows: Callable, *, name: str, perm: str, add_perm=None, filters=None, main=(), **context):
    """A list page for those with ``perm``: the records ``rows(user=)`` reads, narrowed by the FilterSet ``filters``
    when given (its ``main`` fields shown at once), ``can_add`` when ``add_perm`` is given, and ``context``."""

    @workspace_page(perm=perm)
    def view(request):
        records, shown = rows(user=request.user), dict(context)
        if filters is not None:
            filterset = filters(request.GET or None, queryset=records, request=request)
            records, shown = filterset.qs, shown | filter_fields(request, filterset.form, main)
        if add_perm is not None:
            shown["can_add"] = request.user.has_perm(add_perm)
        return list_page(request, template, records, name=name, **shown)

    return view


# --- Moves on a record's page -----------------------------------------------------------------------------------
# A record page offers the moves its module declares (PageMove) through the module's guard: one refused with
# ``offered=False`` is not shown, one refused otherwise is shown disabled with the reason; a POST needs the move's
# permission from the services' table (``perms``), runs the service and shows the page again with any error.


@dataclass(frozen=True)
class PageMove:
    """A move as a page offers it: its label, the service call and its form."""

    label: str
    call: Callable  # (record, user, **form.cleaned_data) -> anything; raises ValidationError to refuse
    done: str  # the success message, formatted with the page's ``done_values(record)``
    form_class: type[forms.Form] | None = None
    danger: bool = False
    form_kwargs: Callable | None = None  # record -> extra keyword arguments of the form (its current values)
    anchor: str = "#status"  # where the page scrolls to after the move
    listed: bool = True  # False: a move with its own place on the page (adding a timeline event), not a button


def service_call(service: Callable, record: str, actor: str) -> Callable:
    """A page move's ``call``: ``service`` given the record as its ``record`` argument, the user as its ``actor``
    argument and the form's values."""
    return lambda instance, user, **values: service(**{record: instance, actor: user}, **values)


@dataclass(frozen=True)
class Action:
    """A move offered on the page: a button, or a folded form when the move asks for something."""

    name: str
    label: str
    url: str
    form: forms.Form | None = None
    danger: bool = False
    disabled_reason: str = ""
    is_open: bool = False  # unfolded: its form came back with errors
    multipart: bool = False


def move_form(move: PageMove, name: str, record, data=None, files=None) -> forms.Form | None:
    if move.form_class is None:
        return None
    extra = move.form_kwargs(record) if move.form_kwargs else {}
    return move.form_class(data, files, prefix=name, **extra)


def record_actions(record, user, moves: dict[str, PageMove], *, guard: Callable, url_name: str, refused=None):
    """The page's actions: ``guard(record, user, name)`` says, for each move, whether and how it is offered;
    ``url_name`` is a URL name with ``{name}`` for the move, taking the record's pk."""
    refused_name, refused_form = refused or (None, None)
    actions = []
    for name, move in moves.items():
        if not move.listed:
            continue
        refusal = guard(record, user, name)
        if refusal is not None and not refusal.offered:
            continue
        is_refused = name == refused_name
        form = refused_form if is_refused and refused_form is not None else move_form(move, name, record)
        url = reverse(url_name.format(name=name), args=[record.pk])
        multipart = form is not None and form.is_multipart()
        reason = str(refusal) if refusal is not None else ""
        actions.append(Action(name, str(move.label), url, form, move.danger, reason, is_refused, multipart))
    return actions


def form_problems(form: forms.Form) -> str:
    """A form's errors in one line, each after its field's label: the message shown at the top of the page."""
    return " ".join(
        f"{form.fields[name].label}: {' '.join(errors)}" if name in form.fields else " ".join(errors)
        for name, errors in form.errors.items()
    )


def call_move(move, record, user, form: forms.Form | None) -> ValidationError | None:
    """Run ``move``'s service on ``record`` with the form's values (none without a form): None once done, else the
    service's refusal, which is already next to its field when there is a form."""
    try:
        move.call(record, user, **(form.cleaned_data if form is not None else {}))
    except ValidationError as error:
        if form is not None:
            add_service_error(form, error)
        return error
    return None


def run_move(
    request, record, moves: dict[str, PageMove], name: str, *, perms: Mapping, page_url: str, show_page, done_values
):
    """Run one move's service on a POST (403 without its permission in ``perms``). Success: a message and back to
    the record's page at the move's anchor. Bad input or a refusal: ``show_page(refused=(name, form))``."""
    move = moves[name]
    require_perm(request.user, perms[name])
    form = move_form(move, name, record, request.POST, request.FILES)
    if form is None or form.is_valid():
        refusal = call_move(move, record, request.user, form)
        if refusal is None:
            messages.success(request, move.done % done_values)
            return redirect(page_url + move.anchor)
        messages.error(request, form_problems(form) if form is not None else " ".join(refusal.messages))
    else:
        messages.error(request, form_problems(form))
    return show_page(refused=(name, form))


def move_view(*, get: Callable, moves: dict[str, PageMove], perms: Mapping, show_page, page_url: str, done_values):
    """The POST view running one of a record page's ``moves`` (the URL names it ``move``) for those with its
    permission in ``perms``: ``get(user=, pk=)`` finds the record the user may see, ``show_page(request, record,
    refused=)`` draws its page again after bad input or a refusal, ``page_url`` is that page's URL name and
    ``done_values(record)`` fills the message."""

    @require_POST
    @workspace_page(object_page=True)
    def view(request, pk, move: str):
        record = get(user=request.user, pk=pk)

        def show_again(refused):
            # Reload: a refused service may have set values on the instance before it said no.
            return show_page(request, get(user=request.user, pk=pk), refused=refused)

        return run_move(
            request,
            record,
            moves,
            move,
            perms=perms,
            page_url=reverse(page_url, args=[record.pk]),
            show_page=show_again,
            done_values=done_values(record),
        )

    return view


def refused_edit(request, record, guard: Callable, page_url: str):
    """The record's page again with the guard's reason when ``guard(record, user, "update")`` refuses editing it
    now (a loan that is no longer a draft), else None: the edit page asks the same guard as the service."""
    refusal = guard(record, request.user, "update")
    if refusal is None:
        return None
    messages.error(request, refusal.message)
    return redirect(page_url, pk=record.pk)


def record_page(get: Callable, show_page: Callable, *, perm: str | None = None):
    """A record's page, for those with ``perm`` when given: ``show_page(request, get(user=, pk=))``, where ``get``
    finds the record the user may see."""

    @workspace_page(object_page=True, perm=perm)
    def page(request, pk):
        return show_page(request, get(user=request.user, pk=pk))

    return page


def record_views(*, perm: str, get: Callable, show_page: Callable, **moves):
    """A record's page (see ``record_page``) and the POST view of its moves (``move_view``, given ``moves``,
    ``perms``, ``page_url`` and ``done_values``)."""
    return record_page(get, show_page, perm=perm), move_view(get=get, show_page=show_page, **moves)


def row_move_view(
    *, get, rows, moves: dict[str, PageMove], perms: Mapping, page_url: str, row_kwarg: str, done_values: Callable
):
    """The POST view running one of ``moves`` on a row of a record's page (a repayment on a loan's page; the URL
    names it ``move`` and the row's pk ``row_kwarg``) for those with its permission in ``perms``: ``get(user=,
    pk=)`` finds the record, ``rows(record, user)`` its rows. Success or refusal is a message back on the page
    (``page_url``) at the move's anchor; ``done_values(row)`` fills the success message."""

    @require_POST
    @workspace_page(object_page=True)
    def view(request, pk, move: str, **kwargs):
        record = get(user=request.user, pk=pk)
        step = moves[move]
        require_perm(request.user, perms[move])
        row = get_object_or_404(rows(record, request.user), pk=kwargs[row_kwarg])
        back = redirect(reverse(page_url, args=[record.pk]) + step.anchor)
        form = step.form_class(request.POST) if step.form_class is not None else None
        if form is not None and not form.is_valid():
            messages.error(request, form_problems(form))
            return back
        refusal = call_move(step, row, request.user, form)
        if refusal is None:
            messages.success(request, step.done % done_values(row))
        else:
            messages.error(request, " ".join(refusal.messages))
        return back

    return view


# The usual pages of one kind of record: URL below the record's route, and the page's name.
RECORD_PAGES = {"list": "", "create": "new/", "detail": "<int:pk>/", "edit": "<int:pk>/edit/"}


def record_paths(route: str, views, record: str, name: str = "{page}", pages=tuple(RECORD_PAGES)) -> list:
    """The URLs of a kind of record's ``pages`` (its list, a new one, a record's page, its edit page: see
    ``RECORD_PAGES``) below ``route``, each served by ``views.<record>_<page>`` and named by ``name`` with
    ``{page}``."""
    return [
        path(route + RECORD_PAGES[page], getattr(views, f"{record}_{page}"), name=name.format(page=page))
        for page in pages
    ]


def move_paths(route: str, view, moves, name: str = "{move}", segments: dict[str, str] | None = None) -> list:
    """One URL per move of a record page for ``view``: ``route`` with the move's ``{segment}`` (its name with dashes,
    unless ``segments`` gives it: move → URL segment), named by ``name`` with ``{move}``."""
    segments = segments or {}
    return [
        path(
            route.format(segment=segments.get(move, move.replace("_", "-"))),
            view,
            {"move": move},
            name=name.format(move=move),
        )
        for move in moves
    ]
