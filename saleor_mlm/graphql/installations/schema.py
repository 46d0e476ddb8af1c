"""The installation's own state, for the dashboard: whether Saleor still accepts its token
(installations.connection)."""

import graphene

from ..core.permissions import MlmPermission, permission_required, permissions_description

MANAGE_USERS = MlmPermission.MANAGE_USERS


class AppConnection(graphene.ObjectType):
    saleor_api_url = graphene.String(required=True)
    connected = graphene.Boolean(required=True, description="False once Saleor rejected the app token (HTTP 401/403).")
    disconnected_at = graphene.DateTime(description="When Saleor first rejected the token; null while connected.")
    reason = graphene.String(description="What Saleor answered; null while connected.")

    class Meta:
        description = (
            "Whether Saleor accepts the app's token. A disconnected installation cannot write back to Saleor, create "
            "voucher codes or sync orders until the app is installed again from the Saleor Dashboard."
        )


class InstallationQueries(graphene.ObjectType):
    app_connection = graphene.Field(
        graphene.NonNull(AppConnection),
        description="Whether Saleor still accepts this installation's app token." + permissions_description([MANAGE_USERS]),
    )

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_app_connection(root, info):
        installation = info.context.installation
        return AppConnection(
            saleor_api_url=installation.saleor_api_url,
            connected=installation.disconnected_at is None,
            disconnected_at=installation.disconnected_at,
            reason=installation.disconnected_reason or None,
        )
