from rest_framework.permissions import DjangoModelPermissions


class RolePermission(DjangoModelPermissions):
    """Model permissions of the user's role, reads included (auditors read, never write).

    Which rows a user reaches is the selector's business: viewsets build their
    queryset from a selector that takes the user, so a record outside a
    partner user's scope answers 404.
    """

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }
