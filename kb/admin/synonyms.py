"""Synonyms (同义词): how readers say things, mapped to the words the articles use. Every save
or delete reaches search at once (kb.search.signals moves the index generation on), so the
actions below save each row rather than update the queryset, which would send no signal."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kb.models import Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ["phrase", "expansions", "enabled", "note", "updated_at"]
    list_display_links = ["phrase"]
    list_filter = ["enabled"]
    search_fields = ["phrase", "expansions", "note"]
    fields = ["phrase", "expansions", "enabled", "note", "updated_at"]
    readonly_fields = ["updated_at"]
    actions = ["enable", "disable"]

    @admin.action(description=_("启用所选同义词"), permissions=["change"])
    def enable(self, request, queryset):
        self._set_enabled(request, queryset, True)

    @admin.action(description=_("停用所选同义词"), permissions=["change"])
    def disable(self, request, queryset):
        self._set_enabled(request, queryset, False)

    def _set_enabled(self, request, queryset, enabled):
        changed = list(queryset.exclude(enabled=enabled))
        for synonym in changed:
            synonym.enabled = enabled
            synonym.save(update_fields=["enabled", "updated_at"])
            self.log_change(request, synonym, str(_("启用") if enabled else _("停用")))
        done = (
            ngettext("已启用 %(n)d 个同义词。", "已启用 %(n)d 个同义词。", len(changed))
            if enabled
            else ngettext("已停用 %(n)d 个同义词。", "已停用 %(n)d 个同义词。", len(changed))
        )
        self.message_user(request, done % {"n": len(changed)}, messages.SUCCESS)
