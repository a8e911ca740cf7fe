"""A platform's online intake account is a window clerk in the role table, but nobody a person can pick: not a
colleague to hand a matter over to, not a person to put on duty, not a subject of a complaint."""

from __future__ import annotations

from lawdesk.accounts.models import Role
from lawdesk.complaints.forms import ComplaintForm
from lawdesk.duty.services import eligible_people
from lawdesk.matters import selectors, services
from lawdesk.online.services import intake_account_for
from tests.conftest import Personas, Tree, make_user


def test_the_intake_account_is_nobody_to_hand_over_to_or_put_on_duty(tree: Tree, personas: Personas) -> None:
    account = intake_account_for(tree.station_a)
    visit = services.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=services.PersonInput(name="张三", phone="13800000000"),
        matters=[services.MatterInput(kind="consultation", summary="咨询")],
    )
    colleagues = list(selectors.handover_colleagues(matter=visit.matters.get()))
    assert personas.office_staff in colleagues  # the list is not empty by accident
    assert account not in colleagues
    people = eligible_people(tree.station_a)
    assert personas.clerk_b in people
    assert account not in people


def test_the_intake_account_is_not_offered_as_the_subject_of_a_complaint(
    tree: Tree, personas: Personas
) -> None:
    account = intake_account_for(tree.station_a)
    form = ComplaintForm(actor=personas.clerk_a)
    subjects = list(form.fields["subject_user"].queryset)  # type: ignore[attr-defined]
    assert personas.handler in subjects  # the list is not empty by accident
    assert account not in subjects


def test_report_reminders_of_a_station_without_a_clerk_go_to_its_office_not_the_intake_account(
    tree: Tree, personas: Personas
) -> None:
    from lawdesk.stats.selectors import submitters

    office2_staff = make_user("office2_staff", Role.OFFICE_STAFF, tree.office2)
    account = intake_account_for(tree.station_c)  # station C has no window clerk of its own
    assert submitters(tree.station_c) == [office2_staff]
    assert account not in submitters(tree.station_c)
