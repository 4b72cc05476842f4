"""The catalogue: which role may do what. Every check in Systeemi reads from here.

Team roles come from an active membership of the family's team; a partner professional's
consent (apps/partnership) gives the shared plan and their own steps, never the family;
organisation roles (manager, auditor) never open a family — they get aggregates or the log.
"""

from enum import StrEnum

from apps.accounts.models import OrgRole
from apps.organisations.models import TeamRole


class Perm(StrEnum):
    TEAM_VIEW = "team.view"
    # A team's counts (caseload history, fidelity, ratings outcomes): its members, and the managers
    # whose scope (county, or their unit) covers the team. Never a family's data.
    TEAM_AGGREGATE = "team.aggregate"
    FAMILY_VIEW = "family.view"
    FAMILY_EDIT = "family.edit"
    # Notifications, decisions and deadlines: the team's casework, never a partner's (the notifier's
    # identity in particular stays inside the team).
    CASEWORK_VIEW = "casework.view"
    # The weekly team meeting: the coordinator and the consultant prepare the agenda, members who
    # keep the register record discussions, the consultant (chair) approves the record.
    MEETING_PREPARE = "meeting.prepare"
    MEETING_RECORD = "meeting.record"
    MEETING_APPROVE = "meeting.approve"
    PHASE_EDIT = "phase.edit"
    CASELOAD_AGGREGATE = "caseload.aggregate"
    AUDIT_LOG_VIEW = "audit.view"
    AUDIT_LOG_EXPORT = "audit.export"
    # Evaluation (apps/evaluation): fidelity and the county report are aggregates for managers; the
    # research export hands pseudonymised personal data to a researcher under a permit.
    EVALUATION_VIEW = "evaluation.view"
    RESEARCH_EXPORT = "research.export"
    # The family drawn (apps/network): genogram and ecomaps. Relatives' names, who is in conflict
    # with whom, abuse: the team's working knowledge, read by its members (the clinician included,
    # who brings the family-therapy view to it) and by the sending team during a handover; a
    # partner's consented grant does not reach it.
    NETWORK_VIEW = "network.view"
    NETWORK_EDIT = "network.edit"
    # The county's own evaluation settings (the price of a placement day): its managers whose
    # scope is the whole county (a unit's manager reads them).
    PLACEMENT_COST_SET = "evaluation.placement_cost"
    # The team's own fidelity targets, within the documented bounds: its consultant, who leads the team.
    FIDELITY_TARGET_SET = "evaluation.fidelity_target"
    # Training in the model (apps/training): trainers plan trainings and record attendance; managers
    # read the regional plan. Trainings concern professionals: neither opens a family.
    TRAINING_VIEW = "training.view"
    TRAINING_EDIT = "training.edit"

    # The family's shared plan with its network (apps/partnership): every team member reads it, those
    # who keep the register change it; a partner with the family's consent reads it and marks their
    # own steps done. Recording or withdrawing a family's consent to share is a social worker's act.
    SHARED_PLAN_VIEW = "shared_plan.view"
    SHARED_PLAN_EDIT = "shared_plan.edit"
    PARTNER_STEP_DONE = "shared_plan.partner_step"
    CONSENT_MANAGE = "consent.manage"


_MEMBER_READ = {Perm.TEAM_VIEW, Perm.FAMILY_VIEW, Perm.CASEWORK_VIEW, Perm.NETWORK_VIEW, Perm.SHARED_PLAN_VIEW}
_MEMBER_WRITE = _MEMBER_READ | {Perm.FAMILY_EDIT, Perm.MEETING_RECORD, Perm.NETWORK_EDIT, Perm.SHARED_PLAN_EDIT}

TEAM_ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    # Decisions on the client relationship (its phases) and on disclosing the family's data to
    # partners (their consent) belong to qualified social workers; the consultant, who leads the
    # team, sets its own fidelity targets.
    TeamRole.CONSULTANT: frozenset(
        _MEMBER_WRITE | {Perm.PHASE_EDIT, Perm.MEETING_PREPARE, Perm.MEETING_APPROVE, Perm.CONSENT_MANAGE, Perm.FIDELITY_TARGET_SET}
    ),
    TeamRole.SOCIAL_WORKER: frozenset(_MEMBER_WRITE | {Perm.PHASE_EDIT, Perm.CONSENT_MANAGE}),
    # Practical family work and client contact: may keep people and contact details current.
    TeamRole.SOCIAL_INSTRUCTOR: frozenset(_MEMBER_WRITE),
    TeamRole.COORDINATOR: frozenset(_MEMBER_WRITE | {Perm.MEETING_PREPARE}),
    # The clinician brings perspectives to the team; reads, does not keep the register.
    TeamRole.FAMILY_THERAPIST: frozenset(_MEMBER_READ),
}

# A partner professional with the family's active consent: the shared plan and their own steps in
# it. Nothing else of the family (no family page, record, ratings or casework): apps/partnership.
PARTNER_PERMISSIONS = frozenset({Perm.SHARED_PLAN_VIEW, Perm.PARTNER_STEP_DONE})
# The sending team after a transfer (rajapinta): reads the family and its casework until the
# agreed handover date, changes nothing.
HANDOVER_PERMISSIONS = frozenset({Perm.FAMILY_VIEW, Perm.CASEWORK_VIEW, Perm.NETWORK_VIEW, Perm.SHARED_PLAN_VIEW})

ORG_ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    OrgRole.MANAGER: frozenset({Perm.CASELOAD_AGGREGATE, Perm.EVALUATION_VIEW, Perm.PLACEMENT_COST_SET, Perm.TRAINING_VIEW}),
    OrgRole.AUDITOR: frozenset({Perm.AUDIT_LOG_VIEW, Perm.AUDIT_LOG_EXPORT}),
    OrgRole.RESEARCHER: frozenset({Perm.RESEARCH_EXPORT}),
    OrgRole.TRAINER: frozenset({Perm.TRAINING_VIEW, Perm.TRAINING_EDIT}),
}


def team_role_permissions(roles) -> frozenset[Perm]:
    perms: set[Perm] = set()
    for role in roles:
        perms |= TEAM_ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(perms)


def org_permissions(user) -> frozenset[Perm]:
    if not getattr(user, "is_authenticated", False) or not user.county_id:
        return frozenset()
    return ORG_ROLE_PERMISSIONS.get(user.org_role, frozenset())
