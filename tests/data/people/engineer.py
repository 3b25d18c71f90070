"""Tobias Eze, senior software engineer at Quillfeather (a payments start-up in Chicago),
looking for a staff-engineer role on a distributed-systems team. Categories are his own
judgement, one person at a time."""

from __future__ import annotations

from cards import Meeting, Owner, P

Q = "quillfeather.com"

CONFIG = """\
# Tobias Eze: software engineer, quiet search for a staff role.
[owner]
timezone = "America/Chicago"
name = "Tobias Eze"
emails = ["tobias@quillfeather.com", "tobias.eze@gmail.com"]
employers = ["Quillfeather"]
former_employers = ["Braintree", "Grubhub"]
title = "Senior Software Engineer"

[[owner.schools]]
name = "University of Illinois Urbana-Champaign"
class_year = 2016

[[goals]]
id = "staff"
text = "Staff engineer on a distributed-systems or infrastructure team at a product company"

[[addressbooks]]
type = "vcard"
path = "google.vcf"
name = "google"

[[addressbooks]]
type = "vcard"
path = "apple.vcf"
name = "apple"

[[addressbooks]]
type = "vcard"
path = "outlook.vcf"
name = "outlook"

[[addressbooks]]
type = "vcard"
path = "nextcloud.vcf"
name = "nextcloud"

[[calendars]]
type = "ics"
path = "calendar.ics"
name = "work"
write = true
shared = true

[confidential]
enabled = true
"""

PEOPLE = [
    # ---- family
    P("Grace Eze", "family", email="grace.eze@yahoo.com", note="Mum", groups=("Family",)),
    P(
        "Chidi Eze",
        "family",
        email="chidi.eze@gmail.com",
        related=(("Brother", "Tobias Eze"),),
        fmt="apple",
    ),
    P(
        "Ngozi Eze-Palmer",
        "family",
        org="Northwestern Medicine",
        title="Nurse Practitioner",
        email="ngozi.palmer@gmail.com",
        note="my sister",
        fmt="apple",
    ),
    P(
        "Hannah Lowell",
        "family",
        email="hannah.lowell@gmail.com",
        related=(("Partner", "Tobias Eze"),),
        fmt="apple",
    ),
    P("Uncle Emeka", "family", email="emeka.okonkwo@gmail.com", note="Houston"),
    P(
        "Ruth Lowell",
        "family",
        email="ruthlowell@comcast.net",
        related=(("Child", "Hannah Lowell"),),
        fmt="nextcloud",
    ),
    # ---- friends
    P(
        "Marcus Bell",
        "friends",
        email="marcusbell@gmail.com",
        note="best friend since 7th grade",
        groups=("Friends",),
    ),
    P("Priyanka Rao", "friends", email="priyanka.rao@gmail.com", groups=("Friends",)),
    P(
        "Jordan Kim",
        "friends",
        org="Spotify",
        title="Product Designer",
        email="jordan.kim@gmail.com",
        note="climbing partner, close friend",
        groups=("Friends",),
    ),
    P(
        "Sofia Alvarez",
        "friends",
        email="sofia.alvarez@icloud.com",
        related=(("Friend", "Tobias Eze"),),
        fmt="apple",
    ),
    P(
        "Dan Whitaker",
        "friends",
        email="dwhitaker@gmail.com",
        note="good friend, board games on Fridays",
    ),
    # ---- school friends
    P(
        "Kevin Zhou",
        "school-friends",
        org="Google",
        title="Software Engineer",
        email="kzhou@google.com",
        note="CS 225 project partner, UIUC",
        groups=("UIUC",),
    ),
    P(
        "Lauren Becker",
        "school-friends",
        org="Epic Systems",
        title="Team Lead",
        email="lbecker@epic.com",
        note="UIUC roommate junior year",
        groups=("UIUC",),
    ),
    P(
        "Omar Haddad",
        "school-friends",
        email="omar.haddad@gmail.com",
        note="college friend, ACM chapter together",
    ),
    P(
        "Tess Morgan",
        "school-friends",
        org="Salesforce",
        title="Engineering Manager",
        email="tmorgan@salesforce.com",
        groups=("UIUC",),
    ),
    # ---- mentors
    P(
        "Prof. Ramesh Iyer",
        "mentors",
        org="University of Illinois",
        title="Professor of Computer Science",
        email="riyer@illinois.edu",
        note="undergrad research advisor - distributed systems",
    ),
    P(
        "Alicia Grant",
        "mentors",
        org="Stripe",
        title="Principal Engineer",
        email="agrant@stripe.com",
        note="my first tech lead at Braintree; taught me how to write design docs",
    ),
    P(
        "Bernard Cole",
        "mentors",
        org="",
        title="",
        email="bcole@fastmail.com",
        note="mentor from the Chicago Tech mentorship program, monthly calls",
        groups=("Mentors",),
    ),
    # ---- colleagues now (employer-connected)
    P(
        "Nina Castellanos",
        "colleagues",
        org="Quillfeather",
        title="VP Engineering",
        email=f"nina@{Q}",
        employer=True,
    ),
    P(
        "Ryan Oduya",
        "colleagues",
        org="Quillfeather",
        title="Engineering Manager, Payments",
        email=f"ryan@{Q}",
        employer=True,
    ),
    P(
        "Ellie Tanaka",
        "colleagues",
        org="Quillfeather",
        title="Staff Engineer",
        email=f"ellie@{Q}",
        employer=True,
    ),
    P(
        "Matt Sorensen",
        "colleagues",
        org="Quillfeather",
        title="Software Engineer",
        email=f"matt.s@{Q}",
        employer=True,
    ),
    P(
        "Femi Adebayo",
        "colleagues",
        org="Quillfeather",
        title="SRE",
        email=f"femi@{Q}",
        employer=True,
        fmt="outlook",
    ),
    P(
        "Claire Dubois",
        "colleagues",
        org="Quillfeather",
        title="Product Manager",
        email=f"claire@{Q}",
        employer=True,
        fmt="outlook",
    ),
    P(
        "Isaac Newman",
        "colleagues",
        org="Quillfeather",
        title="CTO & Co-founder",
        email=f"isaac@{Q}",
        employer=True,
    ),
    P(
        "Sara Lindholm",
        "colleagues",
        org="Quillfeather",
        title="Recruiting Lead",
        email=f"sara.l@{Q}",
        employer=True,
    ),
    P(
        "Yusuf Demir",
        "colleagues",
        org="Harbor Lane Ventures",
        title="Partner",
        email="yusuf@harborlane.vc",
        note="led our Series B, sits on the Quillfeather board",
        employer=True,
    ),
    # ---- former colleagues
    P(
        "Hector Ramos",
        "colleagues",
        org="Braintree",
        title="Senior Engineer",
        email="hector.ramos@gmail.com",
        note="worked with me on the vault migration at Braintree",
    ),
    P(
        "Jess Tran",
        "colleagues",
        org="Grubhub",
        title="Data Engineer",
        email="jesstran@gmail.com",
        note="ex-Grubhub teammate",
    ),
    P(
        "Will Hartmann",
        "colleagues",
        org="PayPal",
        title="Engineering Manager",
        email="whartmann@paypal.com",
        note="my manager at Braintree 2018-2020",
    ),
    P(
        "Aisha Bello",
        "colleagues",
        org="Grubhub",
        title="QA Lead",
        email="aisha.bello@grubhub.com",
        fmt="outlook",
    ),
    P(
        "Ken Matsuda",
        "colleagues",
        org="Braintree",
        title="Staff Engineer",
        email="kmatsuda@braintreepayments.com",
        fmt="outlook",
    ),
    # ---- clients: the customers his work serves (their integration leads)
    P(
        "Rita Okafor",
        "clients",
        org="Harvest Credit Union",
        title="Director of Digital",
        email="rokafor@harvestcu.org",
        note="customer - their card program runs on our API",
        groups=("Customers",),
    ),
    P(
        "Bryce Tolman",
        "clients",
        org="ShopLoop",
        title="Integration Lead",
        email="bryce@shoploop.io",
        groups=("Customers",),
    ),
    P(
        "Mei Chen",
        "clients",
        org="Cartwheel Commerce",
        title="CTO",
        email="mei@cartwheel.com",
        note="our largest merchant; I own their integration",
    ),
    # ---- client-professionals: vendors and partners of the team
    P(
        "Logan Pierce",
        "client-professionals",
        org="Datadog",
        title="Solutions Engineer",
        email="logan.pierce@datadoghq.com",
        groups=("Vendors",),
    ),
    P(
        "Ana Ruiz",
        "client-professionals",
        org="Amazon Web Services",
        title="Solutions Architect",
        email="anaruiz@amazon.com",
        note="our AWS SA",
    ),
    P(
        "Tom Becker",
        "client-professionals",
        org="Confluent",
        title="Account Executive",
        email="tbecker@confluent.io",
        groups=("Vendors",),
    ),
    P(
        "Jill Sato",
        "client-professionals",
        org="Thoughtworks",
        title="Principal Consultant",
        email="jsato@thoughtworks.com",
        note="consultant on the ledger rewrite",
    ),
    # ---- his own service providers
    P(
        "Dr. Sandra Park",
        "service-providers",
        org="Lakeview Family Medicine",
        title="MD",
        email="",
        groups=("Doctors",),
    ),
    P(
        "Lakeview Dental",
        "service-providers",
        org="Lakeview Dental",
        email="appointments@lakeviewdental.com",
    ),
    P(
        "Mario Bianchi",
        "service-providers",
        org="Bianchi Property Management",
        title="Building Manager",
        email="mario@bianchipm.com",
        note="landlord / building manager",
    ),
    P(
        "Chase Okoro",
        "service-providers",
        org="Iron Forge Fitness",
        title="Personal Trainer",
        email="chase@ironforgefit.com",
    ),
    P(
        "Lucy Fontaine",
        "service-providers",
        org="Fontaine CPA",
        title="CPA",
        email="lucy@fontainecpa.com",
        note="taxes, RSU questions",
    ),
    P(
        "Kwik Auto Body",
        "service-providers",
        org="Kwik Auto Body",
        email="",
        note="fixed the bumper",
    ),
    P(
        "Sam Greer",
        "service-providers",
        org="Greer Moving Co.",
        title="",
        email="sam@greermoving.com",
        note="movers, 2024",
    ),
    # ---- community
    P(
        "Coach Danny Ortiz",
        "community",
        org="First Ascent Climbing",
        title="Youth Team Coach",
        email="danny@faclimbing.com",
    ),
    P(
        "Hilda Berg",
        "community",
        email="hilda.berg@gmail.com",
        note="upstairs neighbor, has our spare key",
    ),
    P(
        "Rev. James Okafor",
        "community",
        org="Trinity United Church",
        title="Pastor",
        email="pastor@trinityuc.org",
    ),
    P(
        "Zoe Hammond",
        "community",
        email="zoe.hammond@gmail.com",
        note="Lincoln Square running group",
        groups=("Running",),
    ),
    P(
        "Pete Kowalski",
        "community",
        email="pete.kowalski@gmail.com",
        note="Chicago Python meetup organizer",
        groups=("ChiPy",),
    ),
    P(
        "Aaron Feld",
        "community",
        email="aaron.feld@gmail.com",
        note="Code for Chicago volunteer night",
    ),
    P(
        "Linh Pham",
        "community",
        email="linh.pham@gmail.com",
        related=(("Spouse", "Jordan Kim"),),
        fmt="nextcloud",
    ),
    P("Rosa Delgado", "community", email="rosa.delgado@gmail.com", note="next door"),
    # ---- alumni
    P(
        "Nathan Brooks",
        "alumni",
        org="Uber",
        title="Senior Staff Engineer",
        email="nbrooks@uber.com",
        note="UIUC CS alum, met at the alumni mixer",
    ),
    P(
        "Divya Menon",
        "alumni",
        org="Databricks",
        title="Engineering Manager",
        email="divya.menon@alumni.illinois.edu",
    ),
    P("Greg Sato", "alumni", email="gsato@illinois.edu", groups=("UIUC alumni",)),
    # ---- brain builders
    P(
        "Martin Kleppmann",
        "brain-builders",
        org="University of Cambridge",
        title="Researcher",
        email="mk@cam.ac.uk",
        note="wrote the book on data-intensive apps; met at Strange Loop",
    ),
    P(
        "Charity Mason",
        "brain-builders",
        org="Honeytrace",
        title="CTO",
        email="charity@honeytrace.io",
        note="her blog on observability; keynote at SREcon",
    ),
    P(
        "Hillel Wayne",
        "brain-builders",
        org="",
        title="Author",
        email="hillel@hillelwayne.com",
        note="formal methods newsletter, TLA+ workshop",
    ),
    P(
        "Julia Evans",
        "brain-builders",
        org="Wizard Zines",
        title="Writer",
        email="julia@wizardzines.com",
        groups=("Ideas",),
    ),
    # ---- targets: people at the teams he wants to join
    P(
        "Ravi Shankar",
        "targets",
        org="Cloudflare",
        title="Engineering Director, Storage",
        email="ravi@cloudflare.com",
        note="hiring staff engineers for durable objects",
    ),
    P(
        "Emily Watson",
        "targets",
        org="Stripe",
        title="Head of Infrastructure",
        email="ewatson@stripe.com",
    ),
    P(
        "Andre Silva",
        "targets",
        org="Temporal Technologies",
        title="Engineering Manager",
        email="andre@temporal.io",
        note="would like to meet - workflow engine team",
    ),
    P("Kara Lindqvist", "targets", org="Fly.io", title="VP Engineering", email="kara@fly.io"),
    P(
        "Samir Qureshi",
        "targets",
        org="Cockroach Labs",
        title="Director of Engineering",
        email="samir@cockroachlabs.com",
        note="distributed SQL; hiring for the KV team",
    ),
    P(
        "Natalie Cho",
        "targets",
        org="Hired Tech Talent",
        title="Technical Recruiter",
        email="natalie@hiredtech.io",
        note="recruiter for infra roles, reached out on LinkedIn",
    ),
    P(
        "Joel Ferris",
        "targets",
        org="Materialize",
        title="Staff Engineer",
        email="joel@materialize.com",
        note="staff engineer on the storage team - want to hear how they made the move",
    ),
    # ---- introducers
    P(
        "Monique Carter",
        "introducers",
        org="Chicago Tech Collective",
        title="Community Director",
        email="monique@chitechcollective.org",
        note="knows everyone in Chicago tech; offered to intro me to Cloudflare folks",
    ),
    P(
        "Ivan Petrov",
        "introducers",
        org="Stripe",
        title="Software Engineer",
        email="ivan.petrov@gmail.com",
        note="can introduce me to Emily Watson",
    ),
    # ---- too little to go on
    P("AJ", "unsorted", email="aj.1991@gmail.com"),
    P("Morgan T.", "unsorted", email="", phone="(312) 555-0188"),
    P("Kelsey Wright", "unsorted", email="kelsey.wright@gmail.com"),
    P("Benji Park", "unsorted", email="benjipark@hotmail.com"),
    # ---- more everyday people
    P(
        "Olu Adeyemi",
        "friends",
        email="olu.adeyemi@gmail.com",
        note="old friend from church youth group, still close",
    ),
    P(
        "Tara Fitzgerald",
        "colleagues",
        org="Grubhub",
        title="Engineering Manager",
        email="tara.fitzgerald@grubhub.com",
        note="worked for me on the dispatch team... well, I onboarded her",
    ),
    P(
        "Nick Romano",
        "colleagues",
        org="Braintree",
        title="Product Manager",
        email="nromano@braintreepayments.com",
        note="we worked together at Braintree",
    ),
    P(
        "Sunita Das",
        "colleagues",
        org="Grubhub",
        title="Senior Engineer",
        email="sunita.das@gmail.com",
        note="former colleague, Grubhub",
    ),
    P(
        "Paolo Greco",
        "community",
        email="paolo.greco@gmail.com",
        note="Lena's dad from the climbing gym",
    ),
    P(
        "Erin Walsh",
        "community",
        email="erin.walsh@gmail.com",
        note="book club (sci-fi) at the library",
    ),
    P(
        "Vikram Singh",
        "alumni",
        org="Meta",
        title="Production Engineer",
        email="vsingh@meta.com",
        note="Illinois alum - reunion 2024",
    ),
    P(
        "Carmen Ortega",
        "client-professionals",
        org="PagerDuty",
        title="Customer Success Manager",
        email="cortega@pagerduty.com",
        groups=("Vendors",),
    ),
    P(
        "Brian Walsh",
        "client-professionals",
        org="Okta",
        title="Sales Engineer",
        email="bwalsh@okta.com",
        groups=("Vendors",),
    ),
    P(
        "Felix Moreau",
        "brain-builders",
        org="",
        title="Podcaster",
        email="felix@shiptalk.fm",
        note="runs the Ship It podcast; great guests",
    ),
    P(
        "Oksana Bilyk",
        "targets",
        org="Fastly",
        title="Senior Engineering Manager",
        email="obilyk@fastly.com",
        note="runs the edge compute team",
    ),
    P(
        "Gabe Lindsey",
        "targets",
        org="Netflix",
        title="Director, Platform Engineering",
        email="glindsey@netflix.com",
    ),
    P(
        "Dr. Anil Kapoor",
        "service-providers",
        org="Northshore Eye Care",
        title="Optometrist",
        email="",
        fmt="apple",
    ),
    P("Kim Nguyen", "service-providers", org="Wicker Park Barbers", title="Barber", email=""),
    P("Tasha Reed", "community", email="tasha.reed@gmail.com", note="Hannah's friend Amy's mom"),
    P(
        "Leo Brandt",
        "school-friends",
        email="leo.brandt@gmail.com",
        note="UIUC, lived on the same floor in ISR",
    ),
    P(
        "Maya Goldberg",
        "school-friends",
        org="Twilio",
        title="Software Engineer",
        email="maya.goldberg@gmail.com",
        note="classmate, CS 374 study group",
    ),
    P(
        "Heather Lyons",
        "alumni",
        org="Amazon",
        title="Principal Engineer",
        email="hlyons@amazon.com",
        groups=("UIUC alumni",),
    ),
    P(
        "Jamal Wright",
        "mentors",
        org="Microsoft",
        title="Partner Software Engineer",
        email="jamal.wright@microsoft.com",
        note="mentored me through my senior promo; quarterly coffee",
    ),
    P(
        "Quinn Abbott",
        "community",
        email="quinn.abbott@gmail.com",
        note="soccer league, Sunday team",
    ),
    P("Ben Adler", "community", email="ben.adler@gmail.com", note="neighbor two doors down"),
    P(
        "Harriet Moss",
        "client-professionals",
        org="Vanta",
        title="Account Executive",
        email="harriet@vanta.com",
        note="SOC2 vendor",
    ),
    P(
        "Elena Petrova",
        "targets",
        org="Datadog",
        title="Engineering Director",
        email="elena.petrova@datadoghq.com",
        note="hiring for the metrics storage team; want to meet",
    ),
    P(
        "Tobi Adewale",
        "friends",
        email="tobi.adewale@gmail.com",
        note="longtime friend, Lagos days",
    ),
    P("Kristen Hall", "service-providers", org="Hall Family Dentistry", title="Dentist", email=""),
    P(
        "Carlos Mendez",
        "colleagues",
        org="Quillfeather",
        title="Support Engineer",
        email=f"carlos@{Q}",
        employer=True,
    ),
    P(
        "Rachel Stein",
        "colleagues",
        org="Quillfeather",
        title="Head of People",
        email=f"rachel.stein@{Q}",
        employer=True,
    ),
    P(
        "Ian Fletcher",
        "community",
        email="ian.fletcher@gmail.com",
        note="Rust Chicago meetup co-host",
        groups=("Meetups",),
    ),
    P(
        "Dora Fischer",
        "community",
        email="dora.fischer@gmail.com",
        note="climbing gym regular, Tuesday nights",
    ),
    P(
        "Patrick O'Neil",
        "introducers",
        org="Hyde Park Angels",
        title="Managing Director",
        email="patrick@hpangels.com",
        note="well connected in Chicago startups; can intro to CTOs",
    ),
]

_TEAM = tuple(f"{x}@{Q}" for x in ("nina", "ryan", "ellie", "matt.s", "femi", "claire"))
MEETINGS = [
    Meeting(
        "20260707", "1000", "Payments standup", _TEAM, rrule="FREQ=WEEKLY;COUNT=18", minutes=30
    ),
    Meeting("20260912", "1200", "Lunch w/ Alicia", ("agrant@stripe.com",)),
    Meeting("20260815", "1900", "Dinner - Marcus", ("marcusbell@gmail.com",), minutes=120),
    Meeting("20261002", "1600", "Coffee with Bernard Cole", ("bcole@fastmail.com",), minutes=45),
    Meeting("20261021", "1800", "ChiPy meetup", ("pete.kowalski@gmail.com",), minutes=120),
    Meeting("20261104", "1100", "Board prep with Yusuf", (f"isaac@{Q}", "yusuf@harborlane.vc")),
]

OWNER = Owner(
    "engineer",
    "Tobias Eze",
    ("tobias@quillfeather.com", "tobias.eze@gmail.com"),
    CONFIG,
    PEOPLE,
    MEETINGS,
)
