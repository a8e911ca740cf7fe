"""``reverse`` for routes without arguments, computed once per process.

The menu in base.html names some forty routes on every page and the account middleware compares the path with
a few more; reversing each on every request was a tenth of a plain page's CPU (bench/page_cost.py). A route
without arguments reverses to the same path until the URL configuration or the script prefix changes, so both
are part of the key, and a changed ROOT_URLCONF (tests) empties the cache."""

from __future__ import annotations

from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

_reversed: dict[tuple[str, str, Any], str] = {}


def path_of(name: str) -> str:
    key = (name, get_script_prefix(), get_urlconf())
    path = _reversed.get(key)
    if path is None:
        path = _reversed[key] = reverse(name)
    return path


def forget() -> None:
    _reversed.clear()


@receiver(setting_changed)
def _forget_on_urlconf(*, setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":
        forget()


_ARG = "lawdeskarg{}"


def path_pattern(name: str, *args: Any) -> str:
    """The path of route ``name`` as a ``str.format`` pattern, reversed once per process: ``{0}``, ``{1}``… where
    its arguments go (``args`` are sample values of the right kinds: a number for ``<int:…>``). For links
    repeated on every row of a board, e.g. ``path_pattern("quality:drill", "node", 0, "service")``."""
    key = (f"{name}#pattern{len(args)}", get_script_prefix(), get_urlconf())
    pattern = _reversed.get(key)
    if pattern is None:
        samples = [
            9_000_000_001 + i if isinstance(arg, int) else _ARG.format(i) for i, arg in enumerate(args)
        ]
        pattern = reverse(name, args=samples).replace("{", "{{").replace("}", "}}")
        for i, sample in enumerate(samples):
            pattern = pattern.replace(str(sample), "{" + str(i) + "}")
        _reversed[key] = pattern
    return pattern
