"""Which visits and matters an actor may see, on ``lawdesk.accounts.scoping``.

Matters received in the actor's subtree, and those transferred to a handler's institution — less any an
extension hides from the actor (the complaints app hides every complaint from its subject, whatever their role).
A record out of reach answers 404 exactly like one that does not exist (``get_matter_for``, ``get_visit_for``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from lawdesk.accounts import scoping
from lawdesk.core.tree import covers
from lawdesk.matters.models import Matter, Visit

# (actor, prefix to the matter) → a filter of matters the actor must never see; registered by extensions.
HiddenQ = Callable[[Any, str], Q]
_HIDDEN: list[HiddenQ] = []


def hide_matters(rule: HiddenQ) -> None:
    """Register a rule hiding matters from some actors (call from an ``AppConfig.ready``)."""
    if rule not in _HIDDEN:
        _HIDDEN.append(rule)


def hidden_q(actor: Any, prefix: str = "") -> Q:
    """The matters hidden from ``actor`` by the registered rules."""
    q = Q(**{f"{prefix}pk__in": []})
    for rule in _HIDDEN:
        q |= rule(actor, prefix)
    return q


def matters_q(actor: Any, prefix: str = "") -> Q:
    scope = scoping.scope_for(actor)
    q = scoping.paths_q(scope.view_paths, f"{prefix}node__")
    if scope.institution_ids:
        q |= Q(**{f"{prefix}institution__in": list(scope.institution_ids)})
    return q & ~hidden_q(actor, prefix)


def visible_matters(actor: Any) -> QuerySet[Matter]:
    return Matter.objects.filter(matters_q(actor))


def all_within(actor: Any, node: Any) -> bool:
    """Whether every matter the actor may see was received in ``node``'s subtree (no institution's transferred
    matters, no subtree elsewhere): then the matters of ``node`` the actor sees are all those they see."""
    scope = scoping.scope_for(actor)
    return not scope.institution_ids and all(covers(node.path, path) for path in scope.view_paths)


def get_matter_for(actor: Any, pk: Any) -> Matter:
    """The matter, or 404 both when it does not exist and when the actor may not see it."""
    try:
        return (
            visible_matters(actor)
            .select_related("node", "visit", "visit__person", "institution")
            .get(pk=int(pk))
        )
    except (Matter.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("没有找到该事项，或您无权查看。") from exc


def can_see_matter(actor: Any, matter: Matter) -> bool:
    return visible_matters(actor).filter(pk=matter.pk).exists()


def visits_q(actor: Any, prefix: str = "") -> Q:
    """Visits received in the actor's subtree, less any that carries a matter hidden from the actor."""
    q = scoping.nodes_q(actor, f"{prefix}node__")
    hidden = Matter.objects.filter(hidden_q(actor)).values("visit_id")
    return q & ~Q(**{f"{prefix}pk__in": hidden})


def visible_visits(actor: Any) -> QuerySet[Visit]:
    return Visit.objects.filter(visits_q(actor))


def get_visit_for(actor: Any, pk: Any) -> Visit:
    try:
        return visible_visits(actor).select_related("node", "person").get(pk=int(pk))
    except (Visit.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("没有找到该来访登记，或您无权查看。") from exc
