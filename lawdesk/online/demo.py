"""Demo online requests at the demo station: one question waiting to be claimed and one answered, with fixed
tracking codes so that the progress page can be tried (查询码 + 手机号 below). Idempotent."""

from __future__ import annotations

from lawdesk.accounts.models import User
from lawdesk.matters import services as matter_services
from lawdesk.online import services
from lawdesk.online.models import OnlineRequest
from lawdesk.online.security import digest
from lawdesk.orgs.models import OrgNode

# (code, phone, name, question, answer or "")
DEMO_REQUESTS: list[tuple[str, str, str, str, str]] = [
    (
        "DEMQ4ACK3T",
        "13700000001",
        "赵秀兰",
        "我在小区做保洁，公司两个月没发工资，也没签劳动合同，我该怎么办？",
        "",
    ),
    (
        "DEMA4RT7NX",
        "13700000002",
        "孙德明",
        "楼上邻居家卫生间漏水，把我家天花板泡坏了，协商不成怎么办？",
        "可以先向小寨路街道人民调解委员会申请调解（免费）；调解不成可以向法院起诉要求赔偿维修费用。"
        "请保留漏水照片、维修报价等证据。",
    ),
]


def load_online_demo(*, station: OrgNode) -> int:
    """Make the demo requests that are not there yet; returns how many were made."""
    clerk = User.objects.filter(username="clerk").first()
    made = 0
    for code, phone, name, question, answer in DEMO_REQUESTS:
        if OnlineRequest.objects.filter(code=code).exists():
            continue
        tracked = services.consultation_submit(
            node=station,
            citizen=services.Citizen(name=name, phone=phone, groups=[]),
            question=question,
            legal_field="labour" if "工资" in question else "tort",
            address=digest("address", "demo"),
        )
        OnlineRequest.objects.filter(pk=tracked.pk).update(code=code)
        if answer and clerk is not None:
            services.online_claim(actor=clerk, matter=tracked.matter)
            matter_services.matter_answer(actor=clerk, matter=tracked.matter, answer=answer)
        made += 1
    return made
