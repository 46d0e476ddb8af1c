"""Permissions, named as in Saleor's permission enum so that Dashboard tokens carry them.

A Dashboard app token's `permissions` claim lists Saleor permission names (the
intersection of what the app and the staff user hold); an API key holds all of these.
Storefront users hold none: what they see is decided by visibility (see
`network/visibility.py`), not by permissions.
"""

from collections.abc import Iterable
from functools import wraps

from graphql import GraphQLError


class MlmPermission:
    MANAGE_USERS = "MANAGE_USERS"  # partners, customers, Betreuer, split agreements
    MANAGE_ORDERS = "MANAGE_ORDERS"  # volumes, periods, runs, commissions, adjustments

    CHOICES = [
        (MANAGE_USERS, "Manage partners, customers, care relations and split agreements."),
        (MANAGE_ORDERS, "Manage volumes, periods and commissions."),
    ]


ALL_PERMISSIONS = frozenset(value for value, _ in MlmPermission.CHOICES)


class PermissionDenied(GraphQLError):
    def __init__(self, message: str | None = None, permissions: Iterable[str] = ()):
        permissions = list(permissions)
        if message is None:
            message = f"You need the following permissions: {', '.join(permissions)}." if permissions else "You are not allowed to do this."
        super().__init__(message, extensions={"code": "PERMISSION_DENIED", "permissions": permissions})


class InstallationRequired(GraphQLError):
    def __init__(self):
        super().__init__(
            "Unknown Saleor: send a token or the saleor-api-url header of a Saleor that installed this app.",
            extensions={"code": "UNKNOWN_INSTALLATION"},
        )


def permissions_description(permissions: Iterable[str]) -> str:
    permissions = list(permissions)
    if not permissions:
        return ""
    return "\n\nRequires the following permissions: " + ", ".join(permissions) + "."


def check_permissions(context, permissions: Iterable[str]) -> None:
    """Raise unless the requestor is bound to an installation and holds `permissions`."""
    permissions = tuple(permissions)
    if not context.requestor.has_permissions(permissions):
        raise PermissionDenied(permissions=permissions)
    if context.installation is None:
        raise InstallationRequired()


def permission_required(*permissions: str):
    """Decorate a resolver `(root, info, **kwargs)` with a permission check."""

    def decorator(resolver):
        @wraps(resolver)
        def wrapper(root, info, *args, **kwargs):
            check_permissions(info.context, permissions)
            return resolver(root, info, *args, **kwargs)

        return wrapper

    return decorator
