"""Registry pages. Reads go through selectors (scoped), writes through services."""
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView, ListView, TemplateView
from django_filters.views import FilterView

from monitoring.attention import attention_for, school_standing
from rsoko.exports import TableExportMixin, requested_export, table_response
from rsoko.jobs.services import job_create

from . import forms, selectors, services
from .access import scope_for
from .choices import ORG_KIND_FUNCTIONS, ORG_KIND_SHORT, OrgKind, Role
from .filtersets import MunicipalityFilterSet, OrganizationFilterSet
from .models import Membership, Municipality, Organization
from .views_mixins import CapabilityRequiredMixin, ScopedQuerysetMixin, capability_required


class HomeView(TemplateView):
    template_name = "orgs/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        scope = scope_for(user)
        memberships = list(user.memberships.select_related("organization__municipality"))
        return super().get_context_data(
            **kwargs,
            scope=scope,
            memberships=memberships,
            counts=selectors.registry_counts(user),
            own_schools=selectors.organizations_for(user).filter(id__in=scope.school_ids),
            own_municipalities=Municipality.objects.filter(id__in=scope.municipality_ids),
            attention=attention_for(user),
            standing=school_standing(user),
            standing_many=len(scope.school_ids) > 1,
        )


class ActorKindsView(CapabilityRequiredMixin, TemplateView):
    """The actors of РСОКО by kind: what each kind does and how many of them the user can see."""

    capability = "registry.view"
    template_name = "orgs/kinds.html"

    def get_context_data(self, **kwargs):
        counts = selectors.organization_counts_by_kind(self.request.user)
        kinds = [
            {"kind": kind, "short": ORG_KIND_SHORT[kind], "functions": ORG_KIND_FUNCTIONS[kind], "count": counts.get(kind, 0)}
            for kind in OrgKind
        ]
        return super().get_context_data(**kwargs, kinds=kinds)


class OrganizationListView(ScopedQuerysetMixin, FilterView):
    capability = "registry.view"
    model = Organization
    filterset_class = OrganizationFilterSet
    template_name = "orgs/organization_list.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.organizations_for(self.request.user).order_by("municipality__name", "short_name")

    def render_to_response(self, context, **kwargs):
        export = requested_export(self.request)
        if export:
            table = selectors.organization_table(self.object_list)
            return table_response(table, export, self.request.user)
        return super().render_to_response(context, **kwargs)


class OrganizationDetailView(ScopedQuerysetMixin, DetailView):
    capability = "registry.view"
    model = Organization
    template_name = "orgs/organization_detail.html"
    slug_field = "code"
    slug_url_kwarg = "code"

    def get_queryset(self):
        return selectors.organizations_for(self.request.user)

    def get_context_data(self, **kwargs):
        org = self.object
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context["functions"] = ORG_KIND_FUNCTIONS[OrgKind(org.kind)]
        context["can_manage"] = scope_for(user).can("registry.manage")
        if org.kind == OrgKind.MUNICIPAL_OFFICE:
            context["schools"] = self.office_schools()
        if scope_for(user).can("users.manage"):
            context["members"] = org.memberships.select_related("user")
        return context

    def office_schools(self):
        schools = selectors.organizations_for(self.request.user).schools()
        return schools.filter(municipality=self.object.municipality).order_by("short_name")

    def render_to_response(self, context, **kwargs):
        """A municipal office's card exports its table of schools (other cards have no table)."""
        fmt = requested_export(self.request)
        if fmt and self.object.kind == OrgKind.MUNICIPAL_OFFICE:
            table = selectors.organization_table(self.office_schools(), f"Школы: {self.object.short_name}")
            return table_response(table, fmt, self.request.user)
        return super().render_to_response(context, **kwargs)


class OrganizationEditView(CapabilityRequiredMixin, FormView):
    capability = "registry.manage"
    form_class = forms.OrganizationForm
    template_name = "orgs/organization_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if "code" in self.kwargs:
            kwargs["instance"] = get_object_or_404(Organization, code=self.kwargs["code"])
        return kwargs

    def form_valid(self, form):
        organization = services.organization_save(actor=self.request.user, organization=form.instance)
        messages.success(self.request, f"Сохранено: {organization.short_name}.")
        return redirect("orgs:organization_detail", code=organization.code)


class MunicipalityListView(ScopedQuerysetMixin, TableExportMixin, FilterView):
    capability = "registry.view"
    model = Municipality
    filterset_class = MunicipalityFilterSet
    template_name = "orgs/municipality_list.html"

    def get_queryset(self):
        return selectors.municipalities_for(self.request.user)

    def export_table(self, rows):
        return selectors.municipality_table(rows)


class MunicipalityDetailView(ScopedQuerysetMixin, DetailView):
    capability = "registry.view"
    model = Municipality
    template_name = "orgs/municipality_detail.html"
    slug_field = "code"
    slug_url_kwarg = "code"

    def organizations(self):
        return selectors.organizations_for(self.request.user).filter(municipality=self.object)

    def get_context_data(self, **kwargs):
        organizations = self.organizations()
        return super().get_context_data(
            **kwargs,
            offices=organizations.exclude(kind=OrgKind.SCHOOL),
            schools=organizations.schools().order_by("short_name"),
        )

    def render_to_response(self, context, **kwargs):
        if fmt := requested_export(self.request):
            schools = self.organizations().schools().order_by("short_name")
            return table_response(selectors.organization_table(schools, f"Школы: {self.object.name}"), fmt,
                                  self.request.user)
        return super().render_to_response(context, **kwargs)


class UserListView(CapabilityRequiredMixin, TableExportMixin, ListView):
    capability = "users.manage"
    template_name = "orgs/user_list.html"
    paginate_by = 50

    def get_queryset(self):
        users = get_user_model().objects.order_by("username").prefetch_related("memberships__organization")
        query = self.request.GET.get("q", "").strip()
        return users.filter(username__icontains=query) if query else users

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, q=self.request.GET.get("q", ""))

    def export_table(self, users):
        return selectors.user_table(users)


class UserCreateView(CapabilityRequiredMixin, FormView):
    capability = "users.manage"
    form_class = forms.UserCreateForm
    template_name = "orgs/user_form.html"

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=self.request.user, username=data["username"], password=data["password1"],
                full_name=data["full_name"], email=data["email"],
            )
            services.membership_add(actor=self.request.user, user=user, organization=data["organization"], role=data["role"])
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Пользователь {user.username} создан.")
        return redirect("orgs:user_detail", pk=user.pk)


class UserDetailView(CapabilityRequiredMixin, DetailView):
    capability = "users.manage"
    template_name = "orgs/user_detail.html"
    context_object_name = "account"

    def get_queryset(self):
        return get_user_model().objects.all()

    def get_context_data(self, **kwargs):
        account = self.object
        return super().get_context_data(
            **kwargs,
            memberships=account.memberships.select_related("organization"),
            form=forms.MembershipForm(),
            tokens=account.api_tokens.order_by("-created_at")[:5],
            token_form=forms.ApiTokenForm(),
            now=timezone.now(),
            is_api_client=account.memberships.filter(role=Role.API_CLIENT).exists(),
        )


@require_POST
@capability_required("users.manage")
def membership_add_view(request, pk):
    account = get_object_or_404(get_user_model(), pk=pk)
    form = forms.MembershipForm(request.POST)
    if form.is_valid():
        try:
            services.membership_add(actor=request.user, user=account, **form.cleaned_data)
            messages.success(request, "Роль назначена.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, "Выберите организацию и роль.")
    return redirect("orgs:user_detail", pk=account.pk)


@require_POST
@capability_required("users.manage")
def membership_remove_view(request, pk):
    membership = get_object_or_404(Membership, pk=pk)
    services.membership_remove(actor=request.user, membership=membership)
    messages.success(request, "Роль снята.")
    return redirect("orgs:user_detail", pk=membership.user_id)


@require_POST
@capability_required("users.manage")
def token_issue_view(request, pk):
    """Issues a new API token of an API-client account (revoking the previous one) and shows its key once.
    Without a chosen expiry the token lasts API_TOKEN_DAYS."""
    account = get_object_or_404(get_user_model(), pk=pk, memberships__role=Role.API_CLIENT)
    form = forms.ApiTokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Выберите срок действия токена из списка.")
        return redirect("orgs:user_detail", pk=account.pk)
    key = services.api_token_issue(actor=request.user, user=account, days=form.cleaned_data["days"])
    messages.warning(request, f"Новый токен API (показывается один раз, на сервере хранится только его хеш): {key}")
    return redirect("orgs:user_detail", pk=account.pk)


@require_POST
@capability_required("users.manage")
def token_revoke_view(request, pk):
    account = get_object_or_404(get_user_model(), pk=pk)
    revoked = services.api_token_revoke(actor=request.user, user=account)
    messages.success(request, "Токен отозван: обращения с ним больше не принимаются." if revoked
                     else "Действующего токена нет.")
    return redirect("orgs:user_detail", pk=account.pk)


class RegistryUploadView(CapabilityRequiredMixin, FormView):
    capability = "registry.manage"
    form_class = forms.RegistryUploadForm
    template_name = "orgs/registry_upload.html"

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        job = job_create(
            kind="registry_import",
            title=f"Загрузка реестра: {upload.name}",
            handler="rsoko.orgs.services.registry_import_job",
            user=self.request.user,
            params={"filename": upload.name, "other_region": form.cleaned_data["other_region"]},
            input_file=upload,
        )
        return redirect(reverse("jobs:job_detail", args=[job.pk]))
