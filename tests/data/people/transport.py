"""Lydia Brennan, deputy commissioner at the Chicago Department of Transportation (a City of
Chicago employee), quietly looking to lead government affairs or regulatory policy at a clean
energy or electric-vehicle company. Her city calendar is shared with the commissioner's office.
Her address book is a Google Contacts export and an iCloud export (groups as group cards); a
few people are in both. Categories are her own judgement, one person at a time, written before
netweave was run on this book (a held-out test: no rule was tuned on it)."""

from __future__ import annotations

from cards import Meeting, Owner, P, config_toml, emails_at

CITY = "cityofchicago.org"
CDOT = "Chicago Department of Transportation"

CONFIG = config_toml(
    head="""\
# Lydia Brennan: deputy commissioner, quiet move to clean-energy policy. Calendar shared.
[owner]
timezone = "America/Chicago"
name = "Lydia Brennan"
emails = ["lydia.brennan@cityofchicago.org", "lydia.brennan@gmail.com"]
employers = ["City of Chicago", "Chicago Department of Transportation"]
former_employers = ["Illinois Department of Transportation", "Metropolitan Planning Council"]
title = "Deputy Commissioner"

[[owner.schools]]
name = "University of Illinois Chicago"
class_year = 2011

[[owner.schools]]
name = "DePaul University"
class_year = 2006

[[goals]]
id = "policy"
text = "Lead government affairs or regulatory policy at a clean energy or electric vehicle company"
""",
    books={"google": "google", "apple": "icloud"},
    calendar="city",
    tail="""\
[confidential]
enabled = true
employer_ties = ["Chicago Transit Authority", "transitchicago.com"]
""",
)

PEOPLE = [
    # ---- family
    P(
        "Kevin Brennan",
        "family",
        email="kbrennan58@comcast.net",
        related=(("Father", "Lydia Brennan"),),
        fmt="apple",
    ),
    P("Mom", "family", email="maureen.brennan@comcast.net", fmt="apple", groups=("Family",)),
    P(
        "Daniel Osei",
        "family",
        org="Northwestern Medicine",
        title="Physical Therapist",
        email="dan.osei@gmail.com",
        related=(("Husband", "Lydia Brennan"),),
        fmt="apple",
        also="google",
    ),
    P("Colleen Brennan", "family", email="colleen.b@gmail.com", note="my sister, Oak Park"),
    P("Patrick Brennan", "family", email="pbrennan@gmail.com", note="brother. Denver", fmt="apple"),
    P("Ama Osei", "family", email="ama.osei@yahoo.com", note="Dan's mother"),
    P("Nana Grace", "family", email="", phone="(773) 555-0131", fmt="apple"),
    # ---- friends
    P(
        "Theresa Nowak",
        "friends",
        email="theresa.nowak@gmail.com",
        note="best friend since high school (Mother McAuley)",
        groups=("Friends",),
    ),
    P("Jen Alvarado", "friends", email="jen.alvarado@gmail.com", groups=("Friends",)),
    P(
        "Marcus Reed",
        "friends",
        org="Accenture",
        title="Manager",
        email="marcus.reed@gmail.com",
        note="trivia team on Wednesdays, good friend",
    ),
    P(
        "Shauna Boyle",
        "friends",
        email="shauna.boyle@icloud.com",
        related=(("Friend", "Lydia Brennan"),),
        fmt="apple",
    ),
    P(
        "Irene Kaplan",
        "friends",
        email="irene.kaplan@gmail.com",
        note="we vacation together every summer, Door County",
        fmt="apple",
        also="google",
    ),
    # ---- school friends
    P(
        "Rob Castillo",
        "school-friends",
        org="Cook County",
        title="Planner",
        email="rob.castillo@gmail.com",
        note="UIC MUP studio group",
        groups=("UIC",),
    ),
    P(
        "Anjali Shah",
        "school-friends",
        email="anjali.shah@gmail.com",
        note="college roommate, DePaul",
        fmt="apple",
    ),
    P(
        "Kate Murphy",
        "school-friends",
        org="Sierra Club",
        title="Campaign Director",
        email="kate.murphy@gmail.com",
        note="DePaul - same dorm freshman year",
        groups=("DePaul",),
    ),
    # ---- mentors
    P(
        "Gloria Banks",
        "mentors",
        org="",
        title="",
        email="gloria.banks@gmail.com",
        note="my first boss at IDOT, retired. Taught me how Springfield works",
    ),
    P(
        "Prof. Alan Whitford",
        "mentors",
        org="University of Illinois Chicago",
        title="Professor of Urban Planning",
        email="whitford@uic.edu",
        note="thesis advisor at UIC; wrote my recommendation for CDOT",
    ),
    P(
        "Maria Espinoza",
        "mentors",
        org="Metropolitan Planning Council",
        title="President",
        email="mespinoza@metroplanning.org",
        note="hired me at MPC and pushed me to go into government. still my sounding board",
        fmt="apple",
    ),
    # ---- colleagues at the city (employer)
    P(
        "Thomas Grady",
        "colleagues",
        org=CDOT,
        title="Commissioner",
        email=f"thomas.grady@{CITY}",
        employer=True,
    ),
    P(
        "Angela Ruiz",
        "colleagues",
        org=CDOT,
        title="Deputy Commissioner, Project Development",
        email=f"angela.ruiz@{CITY}",
        employer=True,
    ),
    P(
        "Walter Kim",
        "colleagues",
        org="CDOT",
        title="Chief Engineer",
        email=f"walter.kim@{CITY}",
        employer=True,
    ),
    P(
        "Denise Carter",
        "colleagues",
        org="City of Chicago",
        title="Director of Intergovernmental Affairs, Mayor's Office",
        email=f"denise.carter@{CITY}",
        employer=True,
    ),
    P(
        "Brian Sullivan",
        "colleagues",
        org="City of Chicago Office of Budget and Management",
        title="Budget Analyst",
        email=f"brian.sullivan@{CITY}",
        employer=True,
        fmt="apple",
    ),
    P(
        "Nora Fitzgerald",
        "colleagues",
        title="Project Manager",
        email=f"nora.fitzgerald@{CITY}",
        note="on my team - Complete Streets",
        employer=True,
    ),
    P(
        "Jamal Washington",
        "colleagues",
        org=CDOT,
        title="Assistant Commissioner, Traffic Safety",
        email=f"jamal.washington@{CITY}",
        employer=True,
        fmt="apple",
    ),
    P(
        "Sandra Lopez",
        "colleagues",
        org="City of Chicago Department of Law",
        title="Senior Counsel",
        email=f"sandra.lopez@{CITY}",
        employer=True,
    ),
    P(
        "Eddie Kowalski",
        "colleagues",
        org="Chicago Department of Streets and Sanitation",
        title="Commissioner",
        email=f"ekowalski@{CITY}",
        employer=True,
    ),
    P(
        "Rachel Nguyen",
        "colleagues",
        org=CDOT,
        title="Executive Assistant to the Commissioner",
        email=f"rachel.nguyen@{CITY}",
        employer=True,
        fmt="apple",
    ),
    P(
        "Hector Morales",
        "colleagues",
        org="Chicago Transit Authority",
        title="Vice President, Planning",
        email="hmorales@transitchicago.com",
        note="bus priority corridors with us; talks to Tom weekly",
        employer=True,
    ),
    P(
        "Tim O'Connor",
        "clients",
        org="Chicago City Council",
        title="Alderman, 47th Ward",
        email=f"ward47@{CITY}",
        note="wants the Lincoln Ave streetscape done before the election",
        employer=True,
    ),
    P(
        "Priya Natarajan",
        "colleagues",
        title="Senior Planner",
        email=f"priya.natarajan@{CITY}",
        employer=True,
        fmt="apple",
        groups=("CDOT",),
    ),
    # ---- former colleagues and counterparts at other agencies
    P(
        "Dwayne Harris",
        "colleagues",
        org="Illinois Department of Transportation",
        title="District 1 Engineer",
        email="dwayne.harris@illinois.gov",
        note="worked together at IDOT on the Circle Interchange",
    ),
    P(
        "Linda Park",
        "colleagues",
        org="Metropolitan Planning Council",
        title="Director of Transportation",
        email="lpark@metroplanning.org",
        note="my old team at MPC",
        fmt="apple",
    ),
    P(
        "Steve Olson",
        "colleagues",
        org="Cook County Department of Transportation and Highways",
        title="Director",
        email="steve.olson@cookcountyil.gov",
        note="counterpart at the county, we coordinate on the Touhy project",
    ),
    P(
        "Gwen Adeyemi",
        "colleagues",
        org="Illinois Environmental Protection Agency",
        title="Deputy Director",
        email="gwen.adeyemi@illinois.gov",
        note="co-chaired the EV charging working group with me",
        fmt="apple",
    ),
    # ---- the public she serves: stakeholders, community leaders
    P(
        "Carla Jimenez",
        "clients",
        org="Pilsen Neighbors Community Council",
        title="Executive Director",
        email="carla@pilsenneighbors.org",
        note="stakeholder on the 18th St redesign",
    ),
    P(
        "Mark Feldstein",
        "clients",
        org="Lakeview Chamber of Commerce",
        title="Executive Director",
        email="mark@lakeviewchamber.com",
        note="SSA 27 - Clark Street merchants, calls about parking",
    ),
    P(
        "Yolanda Price",
        "clients",
        org="Active Transportation Alliance",
        title="Advocacy Director",
        email="yolanda@activetrans.org",
        note="pushes us on protected bike lanes. fair but tough",
    ),
    P(
        "Frank DeLuca",
        "clients",
        org="West Loop Community Organization",
        title="President",
        email="frank.deluca@wloc.org",
        fmt="apple",
    ),
    # ---- professionals around her work: consultants, contractors, lobbyists, federal partners
    P(
        "Greg Lawson",
        "client-professionals",
        org="Sterling Engineering Group",
        title="Principal",
        email="glawson@sterlingeng.com",
        note="prime consultant on the Lake Shore Drive study",
        groups=("Consultants",),
    ),
    P(
        "Tanya Brooks",
        "client-professionals",
        org="Midwest Paving Co.",
        title="Project Executive",
        email="tbrooks@midwestpaving.com",
        note="contractor on the Ashland resurfacing",
    ),
    P(
        "Victor Sandoval",
        "client-professionals",
        org="Sandoval Strategies",
        title="Lobbyist",
        email="victor@sandovalstrategies.com",
        fmt="apple",
    ),
    P(
        "Janet Liu",
        "client-professionals",
        org="Federal Highway Administration",
        title="Program Manager, Illinois Division",
        email="janet.liu@dot.gov",
        note="our FHWA contact for the CMAQ money",
    ),
    P(
        "Omar Haddad",
        "client-professionals",
        org="Lyft Urban Solutions",
        title="General Manager, Divvy",
        email="ohaddad@lyft.com",
        note="Divvy operator - monthly contract review",
    ),
    P(
        "Ellen Park",
        "client-professionals",
        org="Park Grant Consulting",
        title="Grant Writer",
        email="ellen@parkgrants.com",
        note="wrote the RAISE application with us",
        fmt="apple",
    ),
    # ---- her own service providers
    P("Dr. Susan Meyer", "service-providers", org="Rush Primary Care", title="MD", email=""),
    P("Lincoln Square Dental", "service-providers", org="Lincoln Square Dental", email=""),
    P(
        "Tony Russo",
        "service-providers",
        org="Russo Plumbing",
        email="",
        phone="(773) 555-0188",
        fmt="apple",
    ),
    P(
        "Beth Lindgren",
        "service-providers",
        org="Lindgren & Co CPAs",
        title="CPA",
        email="beth@lindgrencpa.com",
        note="does our taxes",
    ),
    P(
        "Mia at Salon Luxe",
        "service-providers",
        org="Salon Luxe",
        email="",
        phone="(773) 555-0160",
        fmt="apple",
    ),
    P(
        "Ray Dombrowski",
        "service-providers",
        org="State Farm",
        title="Insurance Agent",
        email="ray.dombrowski@statefarm.com",
        note="home and auto",
    ),
    P(
        "Dr. Kim Tran",
        "service-providers",
        org="North Center Animal Hospital",
        title="DVM",
        email="",
        note="Rufus's vet",
        fmt="apple",
    ),
    P("Jorge (handyman)", "service-providers", email="", phone="(773) 555-0142"),
    # ---- community
    P(
        "Father Mike Doyle",
        "community",
        org="St. Benedict Parish",
        title="Pastor",
        email="frdoyle@stbenedictchicago.org",
    ),
    P(
        "Sue Ritter",
        "community",
        email="sue.ritter@gmail.com",
        note="next door neighbor, waters the plants when we travel",
        fmt="apple",
    ),
    P(
        "Chris Novak",
        "community",
        email="chris.novak@gmail.com",
        note="Sunday softball league",
        groups=("Softball",),
    ),
    P(
        "Laura Bianchi",
        "community",
        email="laura.bianchi@gmail.com",
        note="Nora's friend Lily's mom, carpool on Tuesdays",
        fmt="apple",
    ),
    P(
        "Diane Kessler",
        "community",
        org="North Center Neighbors Association",
        title="Board Member",
        email="diane.kessler@gmail.com",
        note="our block association",
    ),
    P(
        "Paul Nguyen",
        "community",
        email="paul.nguyen@gmail.com",
        related=(("Spouse", "Jen Alvarado"),),
        fmt="apple",
    ),
    P(
        "Amanda Lee",
        "community",
        org="Chicago Women in Trades",
        title="Volunteer Coordinator",
        email="alee@cwit.org",
        note="I volunteer at their career fair every spring",
    ),
    # ---- alumni
    P(
        "Josh Whitman",
        "alumni",
        org="Chicago Metropolitan Agency for Planning",
        title="Senior Planner",
        email="jwhitman@cmap.illinois.gov",
        note="UIC alum - met at the CUPPA alumni night",
    ),
    P(
        "Natalie Brooks",
        "alumni",
        email="natalie.brooks@alumni.depaul.edu",
        fmt="apple",
    ),
    P("Dev Kapoor", "alumni", email="dkapoor@gmail.com", groups=("UIC alumni",)),
    # ---- brain builders
    P(
        "Janette Sadowski",
        "brain-builders",
        org="",
        title="Author",
        email="janette@streetfight.net",
        note="her book on street design; heard her keynote at NACTO",
    ),
    P(
        "Dr. Marcus Bell",
        "brain-builders",
        org="Northwestern University",
        title="Professor of Economics",
        email="mbell@northwestern.edu",
        note="his research on congestion pricing",
        fmt="apple",
    ),
    P(
        "Kara Stein",
        "brain-builders",
        org="The War on Cars",
        title="Podcast Host",
        email="kara@thewaroncars.org",
    ),
    # ---- targets: policy and government-affairs leaders in clean energy and EVs
    P(
        "Michelle Ortiz",
        "targets",
        org="Voltline Charging",
        title="VP, Government Affairs",
        email="mortiz@voltline.com",
        note="they are building out the Midwest policy team",
    ),
    P(
        "David Chen",
        "targets",
        org="Prairie Wind Energy",
        title="Head of Public Policy",
        email="dchen@prairiewind.com",
    ),
    P(
        "Sarah Goldman",
        "targets",
        org="Lakeshore Solar",
        title="Director, Regulatory Affairs",
        email="sgoldman@lakeshoresolar.com",
        fmt="apple",
    ),
    P(
        "Kwame Asante",
        "targets",
        org="ChargePoint",
        title="Senior Manager, State and Local Policy",
        email="kwame.asante@chargepoint.com",
        note="met at the EV working group; they need someone who knows city permitting",
    ),
    P(
        "Rebecca Hale",
        "targets",
        org="Amperra EV",
        title="Chief of Staff to the CEO",
        email="rhale@amperra.com",
        fmt="apple",
        also="google",
    ),
    P(
        "Jordan Pike",
        "targets",
        org="Hanover Search",
        title="Partner, Energy and Public Affairs Practice",
        email="jpike@hanoversearch.com",
        note="recruiter for policy roles at energy companies",
    ),
    P(
        "Alicia Moreno",
        "targets",
        org="Clean Grid Alliance",
        title="Executive Director",
        email="amoreno@cleangrid.org",
        note="would like to meet - clean energy trade group, hires policy leads",
    ),
    P(
        "Nathan Price",
        "targets",
        org="Rivian",
        title="Director, Public Policy",
        email="nprice@rivian.com",
    ),
    # ---- introducers
    P(
        "Elena Vasquez",
        "introducers",
        org="Illinois Clean Energy Coalition",
        title="Policy Director",
        email="elena@ilcleanenergy.org",
        note="knows everyone in clean energy in Springfield; offered to introduce me",
    ),
    P(
        "Bill Harrington",
        "introducers",
        org="",
        title="Former Alderman",
        email="billharrington@gmail.com",
        note="retired. well connected, can introduce me at ComEd and the utilities",
        fmt="apple",
    ),
    # ---- too little to go on
    P("Mike R.", "unsorted", email="", phone="(312) 555-0177"),
    P("Stephanie", "unsorted", email="steph1987@yahoo.com", fmt="apple"),
    P("Ken Howard", "unsorted", email="kenhoward@aol.com"),
    P("Lyft driver Oscar", "unsorted", email="", phone="(872) 555-0120", fmt="apple"),
    # ---- more everyday people
    P(
        "Sean Gallagher",
        "friends",
        email="sean.gallagher@gmail.com",
        note="old friend from the neighborhood, still close",
        fmt="apple",
    ),
    P(
        "Ruth Adler",
        "colleagues",
        org="Illinois Department of Transportation",
        title="Bureau Chief, Planning",
        email="ruth.adler@illinois.gov",
        note="former colleague, IDOT planning",
        fmt="apple",
    ),
    P(
        "Greg Tanaka",
        "community",
        email="greg.tanaka@gmail.com",
        note="book club - last Monday of the month",
    ),
    P(
        "Olivia Grant",
        "introducers",
        org="Clean Energy Trust",
        title="Managing Director",
        email="ogrant@cleanenergytrust.org",
        note="funds clean energy startups, can intro me to their founders",
        fmt="apple",
    ),
    P(
        "Raymond Cho",
        "client-professionals",
        org="Kimley-Horn",
        title="Vice President",
        email="raymond.cho@kimley-horn.com",
        note="traffic engineering consultant on the signal timing contract",
        groups=("Consultants",),
    ),
    P(
        "Teresa Walsh",
        "community",
        email="teresa.walsh@gmail.com",
        note="Tom Grady's wife, we sit together at the parish fish fry",
        employer=True,
    ),
    P(
        "Patricia Owens",
        "mentors",
        org="Illinois Department of Transportation",
        title="Secretary (retired)",
        email="patricia.owens@gmail.com",
        note="former IDOT secretary; mentored me through the CDOT interview",
        fmt="apple",
    ),
    P(
        "Brandon Fox",
        "client-professionals",
        org="Fox Government Relations",
        title="President",
        email="brandon@foxgr.com",
        note="registered lobbyist for the scooter companies",
    ),
    P(
        "Helen Ward",
        "targets",
        org="Commonwealth Edison",
        title="Vice President, Regulatory Strategy",
        email="helen.ward@comed.com",
        note="beneficial electrification team; want to meet",
    ),
    P(
        "Kyle Jensen",
        "school-friends",
        email="kyle.jensen@gmail.com",
        note="UIC planning school, we did the Pilsen practicum together",
        fmt="apple",
    ),
    P(
        "Victoria Shaw",
        "colleagues",
        org="Chicago Park District",
        title="Director of Planning",
        email="victoria.shaw@chicagoparkdistrict.com",
        note="we coordinate on the lakefront trail",
    ),
    P(
        "Dr. Leo Marks",
        "service-providers",
        org="Lakeview Physical Therapy",
        title="DPT",
        email="",
        note="knee rehab 2025",
        fmt="apple",
    ),
]

_STAFF = emails_at(
    CITY, "thomas.grady", "angela.ruiz", "walter.kim", "jamal.washington", "rachel.nguyen"
)
MEETINGS = [
    Meeting(
        "20260706",
        "0830",
        "CDOT senior staff",
        _STAFF,
        rrule="FREQ=WEEKLY;BYDAY=MO;UNTIL=20261221T235959Z",
        minutes=60,
    ),
    Meeting(
        "20260709",
        "1000",
        "Complete Streets team standup",
        (f"nora.fitzgerald@{CITY}", f"priya.natarajan@{CITY}"),
        rrule="FREQ=WEEKLY;BYDAY=TU,TH;COUNT=40",
        minutes=30,
    ),
    Meeting(
        "20260715",
        "1400",
        "Bus priority coordination (CTA/CDOT)",
        ("hmorales@transitchicago.com", f"walter.kim@{CITY}"),
        rrule="FREQ=MONTHLY;BYDAY=3WE;COUNT=8",
    ),
    Meeting("20260922", "1100", "1:1 Tom / Lydia", (f"thomas.grady@{CITY}",), minutes=30),
    Meeting(
        "20261014",
        "1500",
        "Lincoln Ave streetscape - Ald. O'Connor",
        (f"ward47@{CITY}", f"nora.fitzgerald@{CITY}"),
    ),
    Meeting(
        "20260910",
        "0900",
        "LSD study - progress meeting",
        ("glawson@sterlingeng.com", f"walter.kim@{CITY}"),
        minutes=90,
    ),
    Meeting("20260828", "1200", "Lunch w/ Maria E", ("mespinoza@metroplanning.org",)),
    Meeting("20261002", "0800", "Coffee - Gloria", ("gloria.banks@gmail.com",), minutes=45),
    Meeting(
        "20261021", "1730", "Drinks w/ Elena Vasquez", ("elena@ilcleanenergy.org",), minutes=60
    ),
    Meeting("20260816", "1800", "Theresa bday dinner", ("theresa.nowak@gmail.com",), minutes=150),
    Meeting(
        "20261105",
        "1300",
        "EV charging working group",
        ("gwen.adeyemi@illinois.gov", "kwame.asante@chargepoint.com", f"angela.ruiz@{CITY}"),
        minutes=90,
    ),
]

OWNER = Owner(
    "transport",
    CONFIG,
    PEOPLE,
    MEETINGS,
    apple_groups=True,
)
