"""Print every kind of matter's command table: what may be done, by whom, in which state, under which rule."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lawdesk.matters import commands
from lawdesk.matters.events import EVENTS, state_label
from lawdesk.matters.models import MatterKind


class Command(BaseCommand):
    help = "列出各类事项的办理步骤：步骤、可办理的人、所处状态与规则（--markdown 输出表格）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--markdown", action="store_true", help="输出 Markdown 表格")

    def handle(self, *args: Any, **options: Any) -> None:
        for kind, extension in commands.kinds().items():
            title = MatterKind(kind).label if kind in MatterKind.values else kind
            self.stdout.write(f"\n## {title}（{kind}）\n")
            if options["markdown"]:
                self.stdout.write("| 步骤 | 名称 | 可办理的人 | 状态 | 规则 |\n|---|---|---|---|---|\n")
            for command in extension.commands:
                spec = EVENTS[command.event]
                states = "、".join(state_label(s) for s in sorted(spec.from_states)) or "任何状态"
                party = commands.PARTY_LABELS[command.party]
                if options["markdown"]:
                    row = f"| `{command.key}` | {command.label} | {party} | {states} | {command.rule} |"
                else:
                    row = f"{command.key:18} {command.label}｜{party}｜{states}｜{command.rule}"
                self.stdout.write(row + "\n")
