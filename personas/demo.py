"""Demo personas for the demo workspace: believable, across adoption stages."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from personas.models import Persona, ResearchNote
from workspaces.models import Workspace

PERSONAS = [
    {
        "name": "Operations Olivia",
        "role_title": "Head of Operations",
        "segment": "Logistics and distribution, mid-market",
        "company_size": "201-1000",
        "adoption_stage": "late_majority",
        "priority": 5,
        "present_share_override": 85,
        "summary": "Runs a 40-person operations team across three warehouses. Measured on "
        "on-time delivery and cost per order. Buys software only when a peer she trusts "
        "has made it work first.",
        "quote": "I don't need another dashboard. I need to know on Monday morning which "
        "orders will be late.",
        "goals": "Cut late deliveries below 2%\nGive her team one view of the week's orders\n"
        "Justify every tool with hours saved",
        "challenges": "Data spread over the ERP, spreadsheets and e-mail\nNo analyst on the team\n"
        "Past tools that took a year to roll out",
        "objections": "“Our ERP already does reporting.”\n“Who will maintain it when the "
        "consultant leaves?”",
        "buying_triggers": "A bad quarter of late deliveries\nA new COO asking for weekly numbers\n"
        "A peer at an industry event showing results",
        "says": "“Show me someone like us who uses it.”",
        "thinks": "Another project could land on her team's already full plate.",
        "does": "Reads LinkedIn on her commute, forwards the industry newsletter to her "
        "team, goes to one trade show a year.",
        "feels": "Responsible for people working overtime when forecasts are wrong.",
        "reviewed_days_ago": 40,
        "notes": [
            ("interviews", 45, "Six interviews with operations leads at logistics customers."),
            ("sales", 20, "Win/loss notes from Q3: peers' references decided 4 of 5 wins."),
        ],
    },
    {
        "name": "Digital Dan",
        "role_title": "Director of Digital Marketing",
        "segment": "B2B software",
        "company_size": "51-200",
        "adoption_stage": "early_majority",
        "priority": 4,
        "present_share_override": None,
        "summary": "Owns pipeline targets and a six-figure budget. Lives in spreadsheets and "
        "attribution reports; moves budget when the numbers say so, not before.",
        "quote": "If I can't measure it, I can't defend it in the budget meeting.",
        "goals": "Lower cost per qualified lead\nProve marketing's share of pipeline\n"
        "Automate weekly reporting",
        "challenges": "Attribution across channels is a mess\nLeadership wants growth with a "
        "flat budget",
        "objections": "“What's the integration effort with our CRM?”",
        "buying_triggers": "Missed pipeline target\nNew CMO with a data mandate",
        "says": "“What's the benchmark?”",
        "thinks": "Channels he can't attribute will be the first to be cut.",
        "does": "Searches for comparisons, reads analyst blogs, attends webinars he can "
        "watch later.",
        "feels": "Pressure every quarter to show return on spend.",
        "reviewed_days_ago": 200,
        "notes": [
            ("analytics", 210, "Web analytics: 62% of demo requests start from search."),
            ("survey", 230, "Customer survey (n=140), marketing leaders segment."),
        ],
    },
    {
        "name": "Founder Farah",
        "role_title": "Co-founder and CEO",
        "segment": "Seed-stage startups",
        "company_size": "1-10",
        "adoption_stage": "early_adopter",
        "priority": 3,
        "present_share_override": 70,
        "summary": "Technical founder building a team of eight. Tries new tools weekly and "
        "drops them as fast. Listens to podcasts on every walk and has started posting "
        "short videos on TikTok.",
        "quote": "If it takes more than ten minutes to see value, I'm gone.",
        "goals": "Find product-market fit before the next round\nLook bigger than the team is",
        "challenges": "No time\nNo marketing hire yet",
        "objections": "“Is there a free plan?”",
        "buying_triggers": "A podcast host she trusts recommends it\nClosing a funding round",
        "says": "“Can I try it right now?”",
        "thinks": "Tools that work for big companies are too slow for her.",
        "does": "Listens to founder podcasts, posts on X and TikTok, asks in founder communities.",
        "feels": "Excited by new things; anxious about runway.",
        "reviewed_days_ago": 15,
        "notes": [("interviews", 18, "Four founder interviews from the accelerator cohort.")],
    },
    {
        "name": "Procurement Paul",
        "role_title": "IT Procurement Manager",
        "segment": "Public sector and utilities",
        "company_size": "5000+",
        "adoption_stage": "laggard",
        "priority": 2,
        "present_share_override": None,
        "summary": "Manages vendor selection and contracts. Cautious by mandate: security "
        "reviews, references and framework agreements come before any pilot.",
        "quote": "Send me the security questionnaire first, then we can talk.",
        "goals": "Vendors that pass audit the first time\nFewer, longer contracts",
        "challenges": "Long approval chains\nShadow IT bought by business units",
        "objections": "“You're not on our framework.”\n“Where is the data hosted?”",
        "buying_triggers": "Contract renewal of an incumbent\nAn audit finding",
        "says": "“What certifications do you hold?”",
        "thinks": "Nobody was ever fired for choosing the incumbent.",
        "does": "Reads trade press, attends the annual public-sector IT conference, "
        "answers e-mail, not calls.",
        "feels": "Exposed when a vendor fails an audit he approved.",
        "reviewed_days_ago": None,
        "notes": [("assumption", 300, "Built from two sales calls and team assumptions.")],
    },
    {
        "name": "Analyst Ana",
        "role_title": "Senior Data Analyst",
        "segment": "Retail and e-commerce",
        "company_size": "1001-5000",
        "adoption_stage": "innovator",
        "priority": 2,
        "present_share_override": None,
        "summary": "The person in the company everyone asks for numbers. Evaluates tools "
        "hands-on, shares what she finds in communities and on YouTube.",
        "quote": "Give me an API and I'll tell you in a day if it's any good.",
        "goals": "Automate the reports she rebuilds every week\nBe the one who brings new tools in",
        "challenges": "Locked-down IT\nBusiness users who distrust numbers they didn't make",
        "objections": "“Can I export the raw data?”",
        "buying_triggers": "A new data stack project",
        "says": "“Where's the documentation?”",
        "thinks": "Most vendors oversell their AI.",
        "does": "Watches YouTube tutorials, active in data communities, writes internal how-tos.",
        "feels": "Curious; impatient with sales process.",
        "reviewed_days_ago": 60,
        "notes": [("survey", 70, "Community survey, data practitioners (n=85).")],
    },
]


def seed_personas(workspace: Workspace, users: dict[str, User]) -> str:
    author = users.get("marketer")
    reviewer = users.get("owner")
    now = timezone.now()
    personas = []
    for spec in PERSONAS:
        spec = dict(spec)
        notes = spec.pop("notes")
        reviewed = spec.pop("reviewed_days_ago")
        persona = Persona.objects.in_workspace(workspace).filter(name=spec["name"]).first()
        if persona is None:
            persona = Persona(workspace=workspace, created_by=author, updated_by=author, **spec)
            if reviewed is not None:
                persona.reviewed_at = now - timedelta(days=reviewed)
                persona.reviewed_by = reviewer
            persona._history_user = author
            persona.save()
            for kind, days_ago, summary in notes:
                note = ResearchNote(
                    workspace=workspace,
                    persona=persona,
                    kind=kind,
                    date=(now - timedelta(days=days_ago)).date(),
                    summary=summary,
                    created_by=author,
                )
                note._history_user = author
                note.save()
        personas.append(persona)
    return f"{len(personas)} personas"
