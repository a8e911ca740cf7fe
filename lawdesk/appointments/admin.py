from django.contrib import admin

from lawdesk.appointments.models import Appointment, AppointmentMove, Slot


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    list_display = ("start", "end", "node", "institution", "kind", "capacity")
    list_filter = ("kind",)
    raw_id_fields = ("node", "institution", "created_by")


class MoveInline(admin.TabularInline):
    model = AppointmentMove
    extra = 0
    can_delete = False
    readonly_fields = ("code", "from_slot", "to_slot", "actor", "note", "created_at")


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ("matter", "slot", "status", "reminder_sent_at")
    list_filter = ("status",)
    raw_id_fields = ("slot", "matter", "booked_by", "served_by")
    readonly_fields = ("reminder_sent_at",)
    inlines = [MoveInline]
