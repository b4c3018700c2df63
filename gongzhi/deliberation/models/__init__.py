"""议事协商 data: proposals → meetings → ballots → publicity → projects, and residents' pacts."""

from .ballots import Ballot, BallotElector, Participation, Vote
from .charters import Charter, CharterVersion
from .meetings import AgendaItem, Attendance, Invitation, Meeting, ProcedureStep, ProcedureTemplate
from .projects import Milestone, Project, ProjectFollow, ProjectRating, ProjectUpdate
from .proposals import DeliberationPolicy, Proposal, ProposalEvent, Support
from .publicity import Objection, Publicity

__all__ = [
    "AgendaItem",
    "Attendance",
    "Ballot",
    "BallotElector",
    "Charter",
    "CharterVersion",
    "DeliberationPolicy",
    "Invitation",
    "Meeting",
    "Milestone",
    "Objection",
    "Participation",
    "ProcedureStep",
    "ProcedureTemplate",
    "Project",
    "ProjectFollow",
    "ProjectRating",
    "ProjectUpdate",
    "Proposal",
    "ProposalEvent",
    "Publicity",
    "Support",
    "Vote",
]
