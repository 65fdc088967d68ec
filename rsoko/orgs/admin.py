from django.contrib import admin
from rest_framework.authtoken.admin import TokenProxy

from .models import ApiToken

from .models import Membership, Municipality, Organization, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    """Read-only here, like organizations: changes go through the audited import."""

    list_display = ["code", "name", "kind"]
    search_fields = ["code", "name"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    """Read-only here: registry changes go through the portal so that they are audited."""

    list_display = ["code", "short_name", "kind", "municipality"]
    list_filter = ["kind", "settlement_type"]
    search_fields = ["code", "short_name"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role"]
    list_filter = ["role"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


# DRF's plain-text tokens are no longer read (rsoko.orgs.tokens): a token added there would authenticate nobody.
admin.site.unregister(TokenProxy)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Issued and revoked on the user's page (audited); here only listed."""

    list_display = ["prefix", "user", "created_at", "expires_at", "revoked_at", "last_used_at"]
    exclude = ["digest"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
