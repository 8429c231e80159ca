"""Factories: explicit about the data each test depends on."""

from __future__ import annotations

import datetime

import factory

from accounts.models import User
from workspaces.models import Membership, Workspace
from workspaces.roles import Role

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Sequence(lambda n: f"User {n}")
    password = factory.django.Password(PASSWORD)


class WorkspaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workspace
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Workspace {n}")
    slug = factory.Sequence(lambda n: f"workspace-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    workspace = factory.SubFactory(WorkspaceFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MARKETER


class PersonaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "personas.Persona"

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Persona {n}")
    role_title = "Head of Operations"
    segment = "Logistics"
    adoption_stage = "early_majority"
    priority = 3


class ResearchNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "personas.ResearchNote"

    persona = factory.SubFactory(PersonaFactory)
    workspace = factory.SelfAttribute("persona.workspace")
    kind = "interviews"
    summary = "Five interviews with operations leads."


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "channels.Channel"

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Channel {n}")
    category = "social"


class ChannelUsageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "channels.ChannelUsage"

    persona = factory.SubFactory(PersonaFactory)
    workspace = factory.SelfAttribute("persona.workspace")
    channel = factory.SubFactory(ChannelFactory, workspace=factory.SelfAttribute("..workspace"))
    share = 10
    stage = "core"
    trend = "steady"
    evidence = "survey"


class ExperimentFactory(factory.django.DjangoModelFactory):
    """An experiment; pass ``personas=[...]`` to target personas."""

    class Meta:
        model = "experiments.Experiment"
        skip_postgeneration_save = True

    workspace = factory.SubFactory(WorkspaceFactory)
    title = factory.Sequence(lambda n: f"Experiment {n}")
    kind = "capability"
    metric = "Sign-ups"
    baseline = 0
    target = 100
    status = "idea"

    @factory.post_generation
    def personas(obj, create, extracted, **kwargs):
        from experiments.models import ExperimentTarget

        for persona in extracted or []:
            ExperimentTarget.objects.create(
                workspace=obj.workspace, experiment=obj, persona=persona
            )


class ExperimentResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "experiments.ExperimentResult"

    experiment = factory.SubFactory(ExperimentFactory)
    workspace = factory.SelfAttribute("experiment.workspace")
    date = factory.Sequence(lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=n))
    value = 10


class PlanFactory(factory.django.DjangoModelFactory):
    """A draft plan; pass ``personas=[...]`` to put personas in it (weight = priority)."""

    class Meta:
        model = "planning.Plan"
        skip_postgeneration_save = True

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Plan {n}")
    start = datetime.date(2027, 1, 1)
    end = datetime.date(2027, 3, 31)
    total_effort = 1000

    @factory.post_generation
    def personas(obj, create, extracted, **kwargs):
        from planning.models import PlanPersona

        for persona in extracted or []:
            PlanPersona.objects.create(
                workspace=obj.workspace, plan=obj, persona=persona, weight=persona.priority
            )


class ActualFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "planning.Actual"

    plan = factory.SubFactory(PlanFactory)
    workspace = factory.SelfAttribute("plan.workspace")
    date = datetime.date(2027, 1, 15)
    amount = 10
