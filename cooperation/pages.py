"""Pieces every workspace page shares: access, sortable column headers, pagination."""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404

from cooperation.roles import Perm

PAGE_SIZE = 25



def workspace_page(*, object_page: bool = False):
    """Require login and the workspace permission.

    Without the permission a list or form page answers 403, but a page about one
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
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


@dataclass(frozen=True)
class Column:
    """A table column; ``sort`` is its value for the filter's ``ordering`` parameter, if sortable."""

    label: str
    sort: str = ""
    numeric: bool = False


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


def paginate(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
