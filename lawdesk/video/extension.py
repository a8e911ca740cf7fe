"""What the video app adds to the core, registered from ``VideoConfig.ready``: the timeline event of a held
consultation and the panel on the matter page."""

from __future__ import annotations

from typing import Any


def describe(data: dict[str, Any]) -> list[str]:
    seconds = int(data.get("seconds") or 0)
    lines = [f"工作人员：{data.get('staff', '')}", f"时长：{seconds // 60}分{seconds % 60}秒"]
    if data.get("recorded"):
        lines.append("经双方同意录制")
    if data.get("reason") == "expired":
        lines.append("超时自动结束")
    return lines


def panel(actor: Any, matter: Any) -> dict[str, Any] | None:
    from lawdesk.video.panel import panel_context

    return panel_context(actor=actor, matter=matter)


def register() -> None:
    from lawdesk.matters.commands import register_panel
    from lawdesk.matters.events import OPEN_STATES, EventSpec, register_event
    from lawdesk.matters.models import MatterState

    register_event(
        EventSpec(
            "video_consultation",
            "远程视频咨询",
            OPEN_STATES | {MatterState.CLOSED},
            None,
            describe=describe,
        )
    )
    register_panel(panel, "video/_matter_panel.html")
    from lawdesk.appointments import hooks as appointment_hooks
    from lawdesk.video.appointment_rooms import appointment_moved, appointment_panel

    appointment_hooks.on_move(appointment_moved)
    appointment_hooks.register_panel(appointment_panel, "video/_matter_panel.html")
