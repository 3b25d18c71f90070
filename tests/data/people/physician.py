"""Dr. Amara Castellanos, a cardiologist at St. Brigid Medical Center (Chicago), working toward
leading a cardiology service line. Categories are her own judgement, one person at a time."""

from __future__ import annotations

from cards import Meeting, Owner, P

S = "stbrigid.org"

CONFIG = """\
# Dr. Amara Castellanos: cardiologist, aiming at a service-line leadership role.
[owner]
timezone = "America/Chicago"
name = "Amara Castellanos"
emails = ["acastellanos@stbrigid.org", "amara.castellanos@gmail.com"]
employers = ["St. Brigid Medical Center"]
former_employers = ["Rush University Medical Center"]
title = "Attending Cardiologist"
field = "healthcare"

[[owner.schools]]
name = "Loyola Stritch School of Medicine"
class_year = 2012

[[goals]]
id = "service-line"
text = "Medical director of a cardiology service line at an academic or large community hospital"

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
employer_ties = ["Brigid Physicians Group"]
"""

PEOPLE = [
    # ---- family
    P(
        "Luis Castellanos",
        "family",
        email="luis.castellanos@gmail.com",
        related=(("Spouse", "Amara Castellanos"),),
        fmt="apple",
    ),
    P("Adaeze Nwosu", "family", email="adaeze.nwosu@yahoo.com", note="Mom", groups=("Family",)),
    P(
        "Chinedu Nwosu",
        "family",
        email="chinedu.nwosu@gmail.com",
        note="my brother, Atlanta",
        groups=("Family",),
    ),
    P(
        "Sofia Castellanos",
        "family",
        email="",
        related=(("Daughter", "Amara Castellanos"),),
        fmt="apple",
    ),
    P(
        "Elena Castellanos",
        "family",
        email="elena.castellanos@gmail.com",
        note="Luis's sister (my sister-in-law)",
    ),
    P("Tia Ifeoma", "family", email="ifeoma.okeke@gmail.com", note="aunt in Houston"),
    # ---- friends
    P(
        "Jenny Park",
        "friends",
        email="jenny.park@gmail.com",
        note="close friend, our kids are the same age",
        groups=("Friends",),
    ),
    P("Marco Villa", "friends", email="marco.villa@gmail.com", note="Luis's best friend, now ours"),
    P(
        "Adwoa Mensah",
        "friends",
        org="Accenture",
        title="Manager",
        email="adwoa.mensah@gmail.com",
        related=(("Friend", "Amara Castellanos"),),
        fmt="apple",
    ),
    P("Kathleen Doyle", "friends", email="kdoyle@icloud.com", groups=("Friends",)),
    # ---- school friends (med school, residency)
    P(
        "Dr. Ben Sato",
        "school-friends",
        org="Advocate Health",
        title="Hospitalist",
        email="bsato@gmail.com",
        note="med school classmate, anatomy lab partner",
        groups=("Loyola",),
    ),
    P(
        "Dr. Priya Raman",
        "school-friends",
        org="Northwestern Medicine",
        title="Electrophysiologist",
        email="priya.raman@nm.org",
        note="co-resident at Rush, same intern year",
    ),
    P(
        "Dr. Kofi Asante",
        "school-friends",
        email="kofi.asante@gmail.com",
        note="Loyola '12 - study group for Step 1",
        groups=("Loyola",),
    ),
    P(
        "Dr. Rachel Meyer",
        "school-friends",
        org="UChicago Medicine",
        title="Cardiology Fellow",
        email="rmeyer@gmail.com",
        note="fellowship co-fellow, Rush",
    ),
    # ---- mentors
    P(
        "Dr. Howard Klein",
        "mentors",
        org="Rush University Medical Center",
        title="Chief of Cardiology",
        email="howard_klein@rush.edu",
        note="my fellowship program director; wrote every letter I ever needed",
    ),
    P(
        "Dr. Marian Okafor",
        "mentors",
        org="",
        title="Professor Emerita of Medicine",
        email="marian.okafor@gmail.com",
        note="mentor since med school, women in cardiology dinner",
    ),
    P(
        "Dr. Steven Ashby",
        "mentors",
        org="Loyola University Medical Center",
        title="Professor of Medicine",
        email="sashby@lumc.edu",
        note="research mentor in residency",
    ),
    # ---- colleagues now (employer-connected)
    P(
        "Dr. Thomas Reilly",
        "colleagues",
        org="St. Brigid Medical Center",
        title="Chair, Department of Medicine",
        email=f"treilly@{S}",
        employer=True,
    ),
    P(
        "Dr. Nisha Kapoor",
        "colleagues",
        org="St. Brigid Medical Center",
        title="Interventional Cardiologist",
        email=f"nkapoor@{S}",
        employer=True,
    ),
    P(
        "Janet Simmons, RN",
        "colleagues",
        org="St. Brigid Medical Center",
        title="Nurse Manager, Cath Lab",
        email=f"jsimmons@{S}",
        employer=True,
    ),
    P(
        "Dr. Alan Brooks",
        "colleagues",
        org="St. Brigid Medical Center",
        title="Chief Medical Officer",
        email=f"abrooks@{S}",
        employer=True,
    ),
    P(
        "Maria Lopez",
        "colleagues",
        org="St. Brigid Medical Center",
        title="Practice Administrator",
        email=f"mlopez@{S}",
        employer=True,
        fmt="outlook",
    ),
    P(
        "Dr. Yuki Tanaka",
        "colleagues",
        org="St. Brigid Medical Center",
        title="Echocardiographer",
        email=f"ytanaka@{S}",
        employer=True,
        fmt="outlook",
    ),
    P(
        "Dr. Omar Farouk",
        "colleagues",
        org="St. Brigid Medical Center",
        title="Cardiothoracic Surgeon",
        email=f"ofarouk@{S}",
        employer=True,
    ),
    P(
        "Greg Hollis",
        "colleagues",
        org="Brigid Physicians Group",
        title="Executive Director",
        email="ghollis@bpgchicago.org",
        note="runs the physician group we're employed through",
        employer=True,
    ),
    P(
        "Sister Agnes Dunn",
        "colleagues",
        org="St. Brigid Medical Center",
        title="Board of Trustees",
        email="agnes.dunn@gmail.com",
        note="hospital board, mission committee",
        employer=True,
    ),
    P(
        "Linda Cheng",
        "colleagues",
        org="St. Brigid Medical Center",
        title="Cardiac Sonographer",
        email=f"lcheng@{S}",
        employer=True,
        fmt="outlook",
    ),
    # ---- former colleagues
    P(
        "Dr. Samuel Grant",
        "colleagues",
        org="Rush University Medical Center",
        title="Attending, Heart Failure",
        email="samuel_grant@rush.edu",
        note="worked together on the HF unit at Rush",
    ),
    P(
        "Tina Alvarez",
        "colleagues",
        org="Rush University Medical Center",
        title="Clinical Research Coordinator",
        email="tina_alvarez@rush.edu",
        fmt="outlook",
    ),
    # ---- clients: the physicians who refer her patients
    P(
        "Dr. Paul Fenwick",
        "clients",
        org="Oak Park Primary Care",
        title="Family Physician",
        email="pfenwick@oppc.com",
        note="refers a lot of patients to me",
        groups=("Referring physicians",),
    ),
    P(
        "Dr. Hannah Wu",
        "clients",
        org="Lakeview Internal Medicine",
        title="Internist",
        email="hwu@lakeviewim.com",
        groups=("Referring physicians",),
    ),
    P(
        "Dr. Victor Osei",
        "clients",
        org="Southside Community Health",
        title="Medical Director",
        email="vosei@southsidechc.org",
        note="referral source - FQHC, sends complex HF patients",
    ),
    P(
        "Dr. Megan Ryan",
        "clients",
        org="Evanston Family Practice",
        title="MD",
        email="mryan@evanstonfp.com",
        groups=("Referring physicians",),
        fmt="outlook",
    ),
    # ---- client-professionals: industry, payers, consultants in her field
    P(
        "Derek Long",
        "client-professionals",
        org="Medtronic",
        title="Territory Manager, Cardiac Rhythm",
        email="derek.long@medtronic.com",
        note="device rep - pacemaker clinic days",
    ),
    P(
        "Sarah Quinn",
        "client-professionals",
        org="Boston Scientific",
        title="Clinical Specialist",
        email="sarah.quinn@bsci.com",
        groups=("Industry",),
    ),
    P(
        "Ahmed Saleh",
        "client-professionals",
        org="Blue Cross Blue Shield of Illinois",
        title="Medical Director, Utilization",
        email="ahmed_saleh@bcbsil.com",
        note="payer - prior auth escalations",
    ),
    P(
        "Karen White",
        "client-professionals",
        org="Huron Consulting",
        title="Managing Director, Healthcare",
        email="kwhite@hcg.com",
        note="consultant on our cath lab throughput project",
    ),
    P(
        "Ron Patel",
        "client-professionals",
        org="Abbott",
        title="Medical Science Liaison",
        email="ron.patel@abbott.com",
        groups=("Industry",),
    ),
    # ---- her own service providers
    P(
        "Dr. Lisa Franklin",
        "service-providers",
        org="Oak Park Pediatrics",
        title="Pediatrician",
        email="",
        note="Sofia's pediatrician",
    ),
    P(
        "Oak Park Dental",
        "service-providers",
        org="Oak Park Dental",
        email="office@oakparkdental.com",
    ),
    P(
        "Gloria Mendes",
        "service-providers",
        title="Nanny",
        email="gloria.mendes@gmail.com",
        note="after-school nanny",
    ),
    P("Tom's Auto", "service-providers", org="Tom's Auto Service", email="", note="oil changes"),
    P(
        "Andrea Fiore",
        "service-providers",
        org="Fiore Wealth Partners",
        title="Financial Planner",
        email="andrea@fiorewealth.com",
        note="our financial planner",
    ),
    P(
        "Rick Hanley",
        "service-providers",
        org="Hanley Roofing",
        title="",
        email="rick@hanleyroofing.com",
    ),
    P(
        "Joy Kim",
        "service-providers",
        org="Pure Pilates",
        title="Instructor",
        email="joy@purepilates.com",
    ),
    # ---- community
    P(
        "Father Michael Hart",
        "community",
        org="Ascension Parish",
        title="Pastor",
        email="mhart@ascensionoakpark.org",
    ),
    P(
        "Carrie Lund",
        "community",
        email="carrie.lund@gmail.com",
        note="Emma's mom - Girl Scouts troop 410",
    ),
    P("Dave Novak", "community", email="dave.novak@gmail.com", note="next door"),
    P(
        "Sharon Blake",
        "community",
        org="Oak Park PTO",
        title="PTO President",
        email="sharon.blake@gmail.com",
    ),
    P(
        "Ike Obi",
        "community",
        email="ike.obi@gmail.com",
        note="Nigerian Women's Association gala committee... husband of Chioma",
    ),
    P(
        "Chioma Obi",
        "community",
        email="chioma.obi@gmail.com",
        note="Nigerian Women's Association of Chicago",
        groups=("NWA",),
    ),
    P(
        "Bill Turner",
        "community",
        org="Oak Park Rotary",
        title="President",
        email="bturner@oprotary.org",
    ),
    P("Nora Keane", "community", email="nora.keane@gmail.com", note="neighbor across the alley"),
    # ---- alumni
    P(
        "Dr. James Whitfield",
        "alumni",
        org="Advocate Christ Medical Center",
        title="Cardiologist",
        email="jwhitfield@luc.edu",
        note="Loyola alum, class of 2008",
    ),
    P(
        "Dr. Fatima Hussain",
        "alumni",
        org="Ascension Illinois",
        title="Hospitalist",
        email="fhussain@alumni.luc.edu",
    ),
    P("Dr. Greg Tully", "alumni", email="gtully@gmail.com", groups=("Loyola alumni",)),
    # ---- brain builders
    P(
        "Dr. Eric Topol",
        "brain-builders",
        org="Scripps Research",
        title="Professor of Molecular Medicine",
        email="etopol@scripps.edu",
        note="his book on AI in medicine; spoke at ACC",
    ),
    P(
        "Dr. Harlan Krum",
        "brain-builders",
        org="Yale School of Medicine",
        title="Professor of Cardiology",
        email="harlan.krum@yale.edu",
        note="outcomes research - his talk at AHA 2025",
    ),
    P(
        "Atul Desai",
        "brain-builders",
        org="",
        title="Writer",
        email="atul@desaiwrites.com",
        note="essays on checklists and hospital systems; newsletter",
    ),
    # ---- targets: people who hire or shape service-line leaders
    P(
        "Dr. Rebecca Stone",
        "targets",
        org="Northwestern Medicine",
        title="Vice President, Cardiovascular Service Line",
        email="rstone@nm.org",
        note="building out the cardiology service line in the west suburbs",
    ),
    P(
        "Dr. Jonathan Price",
        "targets",
        org="Advocate Health Care",
        title="Chief Medical Officer",
        email="jprice@aah.org",
    ),
    P(
        "Elaine Vasquez",
        "targets",
        org="Witt/Kieffer",
        title="Senior Partner, Physician Executive Practice",
        email="evasquez@wittkieffer.com",
        note="healthcare executive search; places service line chiefs",
    ),
    P(
        "Dr. Kwame Boateng",
        "targets",
        org="UChicago Medicine",
        title="Chief of Cardiology",
        email="kboateng@uchicago.edu",
    ),
    P(
        "Dr. Laura Fischer",
        "targets",
        org="Endeavor Health",
        title="System Medical Director, Cardiology",
        email="lfischer@endeavorhealth.org",
    ),
    P(
        "Mark Sullivan",
        "targets",
        org="AMN Healthcare",
        title="Physician Recruiter",
        email="mark.sullivan@amnhealthcare.com",
        note="cardiology leadership roles in the Midwest",
    ),
    P(
        "Dr. Ana Ruiz-Fernandez",
        "targets",
        org="Loyola Medicine",
        title="Chair of Medicine",
        email="aruiz@lumc.edu",
        note="want to meet - new cardiology director role",
    ),
    # ---- introducers
    P(
        "Dr. Grace Lin",
        "introducers",
        org="Illinois State Medical Society",
        title="Past President",
        email="glin@isms.org",
        note="knows every chief in Chicago; offered to introduce me",
    ),
    P(
        "Paula Brennan",
        "introducers",
        org="American College of Cardiology, Illinois Chapter",
        title="Executive Director",
        email="pbrennan@accil.org",
        note="can introduce me to Rebecca Stone",
    ),
    # ---- too little to go on
    P("K. Oduya", "unsorted", email="", phone="(773) 555-0121"),
    P("Liz", "unsorted", email="liz.m.1980@gmail.com"),
    P("Harvey Sims", "unsorted", email="harvey.sims@gmail.com"),
    P("Becca Tran", "unsorted", email="beccatran@hotmail.com"),
    # ---- more everyday people
    P(
        "Dr. Neil Foster",
        "school-friends",
        org="Kaiser Permanente",
        title="Cardiologist",
        email="neil.foster@gmail.com",
        note="residency classmate at Rush",
    ),
    P(
        "Dr. Amy Chen",
        "clients",
        org="West Suburban Primary Care",
        title="Internist",
        email="achen@wspc.com",
        note="sends me her AFib patients",
    ),
    P(
        "Dr. Roberto Diaz",
        "clients",
        org="Cicero Family Health",
        title="Family Medicine",
        email="rdiaz@cicerofh.org",
        groups=("Referring physicians",),
    ),
    P(
        "Jake Morrison",
        "client-professionals",
        org="Philips Healthcare",
        title="Account Manager, Cardiology Imaging",
        email="jake.morrison@philips.com",
        groups=("Industry",),
    ),
    P(
        "Dr. Lena Novak",
        "colleagues",
        org="Rush University Medical Center",
        title="Attending Cardiologist",
        email="lena_novak@rush.edu",
        note="former colleague at Rush",
    ),
    P("Pam Whitley", "community", email="pam.whitley@gmail.com", note="Sofia's friend Ava's mom"),
    P(
        "Dr. Jorge Medina",
        "alumni",
        org="Rush Copley",
        title="Internist",
        email="jmedina@luc.edu",
        note="Stritch alum, met at reunion",
    ),
    P(
        "Ken Brody",
        "community",
        email="ken.brody@gmail.com",
        note="running club, Saturday long runs",
        groups=("Running club",),
    ),
    P(
        "Dr. Susan Hale",
        "mentors",
        org="Medical College of Wisconsin",
        title="Professor of Medicine",
        email="shale@mcw.edu",
        note="sponsored my ACC fellowship; advice whenever I ask",
    ),
    P(
        "Dr. Arjun Mehta",
        "targets",
        org="Rush University Medical Center",
        title="Vice Chair for Clinical Affairs",
        email="arjun_mehta@rush.edu",
        note="launching a structural heart program; looking for a director",
    ),
    P(
        "Alicia Monroe",
        "introducers",
        org="Chicago Health Executives Forum",
        title="President",
        email="amonroe@chef-ache.org",
        note="well connected with hospital executives; can intro",
    ),
    P(
        "Dr. Paul Adeyemi",
        "friends",
        email="paul.adeyemi@gmail.com",
        note="old friend from Lagos, now in Boston",
    ),
    P(
        "Claire Sutton",
        "service-providers",
        org="Sutton Interiors",
        title="Designer",
        email="claire@suttoninteriors.com",
        note="redid the kitchen",
    ),
    P(
        "Mike Grady",
        "community",
        org="Oak Park Youth Soccer",
        title="Coach",
        email="coach.mike@opys.org",
        note="Sofia's soccer coach",
    ),
    P(
        "Dr. Ian McLeod",
        "colleagues",
        org="St. Brigid Medical Center",
        title="Hospitalist",
        email=f"imcleod@{S}",
        employer=True,
    ),
    P(
        "Beth Harmon",
        "colleagues",
        org="St. Brigid Medical Center",
        title="VP Finance",
        email=f"bharmon@{S}",
        employer=True,
        fmt="outlook",
    ),
    P(
        "Dr. Deborah Kline",
        "colleagues",
        org="St. Brigid Medical Center",
        title="Chief Nursing Officer",
        email=f"dkline@{S}",
        employer=True,
    ),
    P(
        "Rosa Kim",
        "community",
        email="rosa.kim@gmail.com",
        note="book club at the Oak Park library",
    ),
    P(
        "Dr. Henry Wallace",
        "brain-builders",
        org="Harvard Medical School",
        title="Professor of Health Care Policy",
        email="hwallace@hms.harvard.edu",
        note="research on hospital consolidation; read his papers",
    ),
    P(
        "Nicole Baker",
        "client-professionals",
        org="Premier Inc.",
        title="Director, Cardiovascular Consulting",
        email="nicole_baker@premierinc.com",
        note="benchmarking consultant, works with many service lines",
    ),
    P(
        "Dr. Timothy Ng",
        "targets",
        org="Edward-Elmhurst Health",
        title="President, Medical Group",
        email="tng@eehealth.org",
    ),
    P("Sam Okoro", "community", email="sam.okoro@gmail.com", note="church choir with Luis"),
    P(
        "Vera Lindqvist",
        "friends",
        email="vera.lindqvist@gmail.com",
        note="friend since college, Sunday brunch",
        groups=("Friends",),
    ),
    P(
        "Janelle Ortiz",
        "service-providers",
        org="Ortiz Cleaning",
        title="",
        email="janelle@ortizcleaning.com",
        note="house cleaner, every other Friday",
    ),
    P(
        "Dr. Carl Jensen",
        "school-friends",
        email="carl.jensen@gmail.com",
        note="Loyola med, same small group",
        groups=("Loyola",),
    ),
    P(
        "Leah Goldman",
        "community",
        email="leah.goldman@gmail.com",
        note="next door; their son babysits Sofia",
    ),
    P(
        "Dr. Olga Petrenko",
        "school-friends",
        org="Loyola Medicine",
        title="Cardiologist",
        email="opetrenko@lumc.edu",
        note="co-fellow at Rush, we shared call",
        fmt="nextcloud",
    ),
    P(
        "Tunde Nwosu",
        "family",
        email="tunde.nwosu@gmail.com",
        related=(("Brother", "Amara Castellanos"),),
        fmt="nextcloud",
    ),
    P(
        "Irene Walsh",
        "community",
        email="irene.walsh@gmail.com",
        related=(("Sibling", "Leah Goldman"),),
        note="Leah's sister, block party",
        fmt="nextcloud",
    ),
    P(
        "Dr. Marcus Hill",
        "targets",
        org="Ascension Illinois",
        title="Regional Chief Medical Officer",
        email="marcus.hill@ascension.org",
        note="hiring a cardiovascular medical director for the north region",
        fmt="nextcloud",
    ),
]

_DEPT = tuple(
    f"{x}@{S}" for x in ("treilly", "nkapoor", "abrooks", "ytanaka", "ofarouk", "jsimmons")
)
MEETINGS = [
    Meeting("20260706", "0700", "Cardiology section meeting", _DEPT, rrule="FREQ=WEEKLY;COUNT=18"),
    Meeting(
        "20260910",
        "1800",
        "Hospital board mission dinner",
        ("agnes.dunn@gmail.com", f"abrooks@{S}"),
        minutes=120,
    ),
    Meeting("20260918", "1230", "Lunch - Dr. Klein", ("howard_klein@rush.edu",)),
    Meeting("20261009", "1900", "Dinner with Jenny", ("jenny.park@gmail.com",), minutes=120),
    Meeting("20261023", "0730", "Breakfast w/ Grace Lin", ("glin@isms.org",)),
]

OWNER = Owner(
    "physician",
    "Amara Castellanos",
    ("acastellanos@stbrigid.org", "amara.castellanos@gmail.com"),
    CONFIG,
    PEOPLE,
    MEETINGS,
)
