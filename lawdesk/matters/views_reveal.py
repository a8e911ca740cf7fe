"""Showing a person's full phone or ID number on request: the one place a masked number is revealed on screen.

Every screen shows the numbers masked; roles that may see them in full (``scoping.can_see_personal_data`` at a
platform where the person has a visit the actor sees) get a "显示完整" button that POSTs here, and every such
read writes a ``personal_data.read`` audit row naming the field and the person.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from lawdesk.matters import personal_data as services

FIELDS = {"phone": "联系电话", "id_number": "身份证号"}


@login_required
@require_POST
def reveal(request: HttpRequest, pk: int, field: str) -> HttpResponse:
    if field not in FIELDS:
        raise Http404
    value = services.person_reveal(actor=request.user, person_pk=pk, field=field)
    return render(request, "people/_revealed.html", {"field": field, "value": value})


@login_required
@require_POST
def contact_reveal(request: HttpRequest, pk: int, which: str) -> HttpResponse:
    value = services.contact_reveal(actor=request.user, matter_pk=pk, which=which)
    return render(request, "people/_revealed.html", {"field": f"{which}_phone", "value": value})
