from django.contrib import admin

from lawdesk.leaderwindow.models import WindowDraw, WindowVisit


@admin.register(WindowDraw)
class WindowDrawAdmin(admin.ModelAdmin):
    list_display = ["district", "week_start", "date", "start", "end", "leader", "redraw_count"]
    list_filter = ["district"]
    readonly_fields = ["seed", "drawn_by", "created_at", "updated_at", "redraw_count", "redraw_reason"]


@admin.register(WindowVisit)
class WindowVisitAdmin(admin.ModelAdmin):
    list_display = ["draw", "leader", "checked_in_at", "checked_out_at"]
    readonly_fields = ["draw", "recorded_by", "matters"]
