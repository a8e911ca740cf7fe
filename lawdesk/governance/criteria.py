"""The configured checklist of the 民主法治示范村(社区) criteria (plan 三(四): 推进“民主法治示范村(社区)”创建活动),
after the national guidance standard for the creation (全国民主法治示范村(社区)建设指导标准). An inspection records
which of them the village meets; a village is named only after an inspection that found every one met.
Change the list here (codes are stored on inspections: keep a retired code's label so old records still read)."""

from __future__ import annotations

CRITERIA: list[tuple[str, str]] = [
    ("party_leadership", "村(社区)党组织领导坚强有力，法治建设纳入工作规划"),
    ("democratic_election", "民主选举依法规范，村(居)民委员会依法选举产生"),
    ("democratic_decision", "民主决策落实“四议两公开”，重大事项依法决策"),
    ("democratic_management", "民主管理规范，村规民约(居民公约)依法制定并执行"),
    ("democratic_supervision", "民主监督有效，村(居)务公开、监督委员会运行正常"),
    ("publicity_education", "法治宣传教育常态化，有法治宣传栏和“法律明白人”"),
    ("culture_site", "建有法治文化阵地，经常开展群众性法治文化活动"),
    ("legal_services", "公共法律服务便捷，配有村(社区)法律顾问和公共法律服务站点"),
    ("dispute_resolution", "人民调解组织健全，矛盾纠纷排查化解及时，小事不出村"),
    ("safety", "社会治安良好，近三年无重大刑事案件和群体性事件"),
]
CRITERIA_CODES: frozenset[str] = frozenset(code for code, _label in CRITERIA)
CRITERIA_LABELS: dict[str, str] = dict(CRITERIA)
