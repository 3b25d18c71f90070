"""Ingrid Solberg, associate professor of computer science (robot learning) at the University
of Wisconsin-Madison, quietly looking to move into industry research at a robotics or AI
company. Her university calendar is visible to the department's staff. Her address book is a
Google Contacts export and an iCloud export (with groups as group cards); a few people are in
both. Categories are her own judgement, one person at a time, written before netweave was run
on this book (a held-out test: no rule was tuned on it)."""

from __future__ import annotations

from cards import Meeting, Owner, P

U = "wisc.edu"
CS = "cs.wisc.edu"
UW = "University of Wisconsin-Madison"

CONFIG = """\
# Ingrid Solberg: professor, quiet move to industry research. The department sees her calendar.
[owner]
timezone = "America/Chicago"
name = "Ingrid Solberg"
emails = ["solberg@cs.wisc.edu", "ingrid.solberg@gmail.com"]
employers = ["University of Wisconsin-Madison"]
former_employers = ["MIT CSAIL"]
title = "Associate Professor of Computer Science"

[[owner.schools]]
name = "Carnegie Mellon University"
class_year = 2013

[[owner.schools]]
name = "University of Minnesota"
class_year = 2006

[[goals]]
id = "industry"
text = "Move into industry research at a robotics or AI company"

[[addressbooks]]
type = "vcard"
path = "google.vcf"
name = "google"

[[addressbooks]]
type = "vcard"
path = "apple.vcf"
name = "icloud"

[[calendars]]
type = "ics"
path = "calendar.ics"
name = "uw"
write = true
shared = true

[confidential]
enabled = true
employer_ties = ["Wisconsin Alumni Research Foundation", "warf.org"]
"""

PEOPLE = [
    # ---- family
    P(
        "Anders Solberg",
        "family",
        email="anders.solberg@tds.net",
        note="Dad",
        fmt="apple",
        groups=("Family",),
    ),
    P("Karin Solberg", "family", email="karin.solberg@tds.net", note="Mom", fmt="apple"),
    P(
        "Tomas Reyes",
        "family",
        org="Madison Metropolitan School District",
        title="Math Teacher",
        email="tomas.reyes@gmail.com",
        related=(("Spouse", "Ingrid Solberg"),),
        fmt="apple",
        also="google",
    ),
    P(
        "Liv Solberg-Hart",
        "family",
        email="liv.hart@outlook.com",
        related=(("Sister", "Ingrid Solberg"),),
        fmt="apple",
    ),
    P("Greg Hart", "family", email="greghart@outlook.com", note="Liv's husband", fmt="apple"),
    P(
        "Elena Reyes",
        "family",
        email="elena.reyes@yahoo.com",
        note="Tomas's mom - Albuquerque",
        fmt="google",
    ),
    P("Aunt Berit", "family", email="", phone="(218) 555-0143", fmt="apple"),
    # ---- friends
    P(
        "Sanna Lind",
        "friends",
        email="sanna.lind@gmail.com",
        note="friend since grade school in Duluth",
        groups=("Friends",),
    ),
    P("Mira Patel", "friends", email="mira.patel@gmail.com", groups=("Friends",)),
    P(
        "Jonah Feldman",
        "friends",
        org="Epic",
        title="Software Developer",
        email="jonah.feldman@gmail.com",
        note="dinner group, we take turns hosting",
        groups=("Friends",),
    ),
    P(
        "Claire Dumont",
        "friends",
        email="claire.dumont@icloud.com",
        related=(("Friend", "Ingrid Solberg"),),
        fmt="apple",
    ),
    P(
        "Rosa Whitcomb",
        "friends",
        email="rosa.whitcomb@gmail.com",
        note="my closest friend in Madison. kids the same age",
        fmt="apple",
        also="google",
    ),
    # ---- school friends (CMU PhD, Minnesota undergrad)
    P(
        "Daniel Okoye",
        "school-friends",
        org="Georgia Tech",
        title="Associate Professor",
        email="dokoye@gatech.edu",
        note="labmate at CMU, shared an office in NSH for 4 years",
        groups=("CMU",),
    ),
    P(
        "Priya Raman",
        "school-friends",
        org="Apple",
        title="ML Engineer",
        email="priya.raman@gmail.com",
        note="CMU RI cohort, quals study group",
        groups=("CMU",),
    ),
    P(
        "Beth Anderson",
        "school-friends",
        email="beth.anderson@gmail.com",
        note="roommate at the U, Centennial Hall",
        fmt="apple",
    ),
    P(
        "Kenji Mori",
        "school-friends",
        org="Carnegie Mellon University",
        title="Research Scientist",
        email="kmori@andrew.cmu.edu",
        note="same PhD year, went to every RSS together",
        fmt="apple",
        groups=("CMU",),
    ),
    # ---- mentors
    P(
        "Prof. Martin Halvorsen",
        "mentors",
        org="Carnegie Mellon University",
        title="Professor, Robotics Institute",
        email="halvorsen@cs.cmu.edu",
        note="my PhD advisor. Call before any big decision",
    ),
    P(
        "Dr. Susan Whitfield",
        "mentors",
        org="MIT CSAIL",
        title="Principal Research Scientist",
        email="swhit@csail.mit.edu",
        note="hosted my postdoc; still reads every proposal I write",
    ),
    P(
        "Prof. Walter Nygaard",
        "mentors",
        org=UW,
        title="Professor Emeritus",
        email=f"nygaard@{CS}",
        note="assigned faculty mentor when I started, lunch every semester",
        employer=True,
    ),
    P(
        "Linda Carver",
        "mentors",
        org="University of Minnesota",
        title="Professor",
        email="carver@umn.edu",
        note="got me into research as an undergrad (UROP)",
        fmt="apple",
    ),
    # ---- colleagues at the university (employer)
    P(
        "Raj Venkataraman",
        "colleagues",
        org=UW,
        title="Professor and Department Chair, Computer Sciences",
        email=f"raj@{CS}",
        employer=True,
    ),
    P(
        "Ellen Brodsky",
        "colleagues",
        org=UW,
        title="Dean, College of Letters & Science",
        email=f"ellen.brodsky@{U}",
        employer=True,
    ),
    P(
        "Mark Ostrowski",
        "colleagues",
        org="UW-Madison",
        title="Associate Professor",
        email=f"ostrowski@{CS}",
        note="co-teach CS 760 with him",
        employer=True,
    ),
    P(
        "Yuki Tanaka",
        "colleagues",
        title="Assistant Professor",
        email=f"ytanaka@{CS}",
        note="vision faculty, hired 2023. joint reading group",
        employer=True,
        fmt="apple",
    ),
    P(
        "Hannah Price",
        "colleagues",
        org=UW,
        title="Professor, Mechanical Engineering",
        email=f"hprice@{U}",
        note="co-PI on the soft grippers grant",
        employer=True,
    ),
    P(
        "Deb Kowalczyk",
        "colleagues",
        org="UW-Madison Computer Sciences",
        title="Department Administrator",
        email=f"dkowalczyk@{CS}",
        employer=True,
    ),
    P(
        "Jim Harlow",
        "colleagues",
        org="UW-Madison Research and Sponsored Programs",
        title="Grants Manager",
        email=f"jim.harlow@{U}",
        employer=True,
        fmt="apple",
    ),
    P(
        "Chen Wei",
        "colleagues",
        org=UW,
        title="Postdoctoral Researcher",
        email=f"cwei@{CS}",
        note="postdoc in the lab",
        employer=True,
        groups=("Lab",),
    ),
    P(
        "Tracy Dunn",
        "colleagues",
        org=UW,
        title="Lab Manager",
        email=f"tdunn@{CS}",
        employer=True,
        groups=("Lab",),
    ),
    P(
        "Gary Lindqvist",
        "colleagues",
        org="Wisconsin Alumni Research Foundation",
        title="Licensing Manager",
        email="glindqvist@warf.org",
        note="handled the grasping patent",
        employer=True,
    ),
    P(
        "Olivia Grant",
        "colleagues",
        org=UW,
        title="Director, Office of Industry Relations",
        email=f"olivia.grant@{U}",
        employer=True,
        fmt="apple",
    ),
    P(
        "Sam Whitaker",
        "colleagues",
        org=UW,
        title="Professor",
        email=f"whitaker@{CS}",
        note="theory. tenure committee chair for my case",
        employer=True,
    ),
    # ---- her students (she serves them)
    P(
        "Aditya Rao",
        "clients",
        org=UW,
        title="PhD Student",
        email=f"arao@{CS}",
        note="4th year, defends in spring",
        employer=True,
        groups=("Lab",),
    ),
    P(
        "Maria Gonzalez",
        "clients",
        title="PhD Student",
        email=f"mgonzalez@{CS}",
        employer=True,
        groups=("Lab",),
    ),
    P(
        "Noah Fischer",
        "clients",
        email=f"nfischer3@{U}",
        note="MS student, tactile sensing project",
        employer=True,
        fmt="apple",
    ),
    P(
        "Lena Brooks",
        "clients",
        org="Zebra Technologies",
        title="Robotics Engineer",
        email="lena.brooks@gmail.com",
        note="my former MS student (2021)",
    ),
    P(
        "Omar Siddiqui",
        "clients",
        org="Epic Systems",
        title="Software Developer",
        email="osiddiqui@epic.com",
        note="took my intro robotics class, wrote his undergrad thesis with me",
        fmt="apple",
    ),
    # ---- former colleagues and collaborators elsewhere
    P(
        "Felix Bauer",
        "colleagues",
        org="MIT CSAIL",
        title="Research Scientist",
        email="fbauer@csail.mit.edu",
        note="postdoc office neighbor, still co-write papers",
    ),
    P(
        "Grace Liu",
        "colleagues",
        org="University of Michigan",
        title="Professor and Chair, Robotics Department",
        email="graceliu@umich.edu",
        note="co-PI on the NRI grant, monthly calls",
    ),
    P(
        "Tobias Kern",
        "colleagues",
        org="ETH Zurich",
        title="Professor",
        email="tkern@ethz.ch",
        note="coauthor - ICRA 2024 and the T-RO paper",
        fmt="apple",
    ),
    P(
        "Anita Desai",
        "colleagues",
        org="Purdue University",
        title="Associate Professor",
        email="adesai@purdue.edu",
        note="we organize the RSS workshop on tactile learning together",
    ),
    # ---- professionals around her work: funders, editors, vendors
    P(
        "Robert Chaney",
        "client-professionals",
        org="National Science Foundation",
        title="Program Director, Foundational Research in Robotics",
        email="rchaney@nsf.gov",
        note="my CAREER award PD",
    ),
    P(
        "Lt. Col. Dana Whitman",
        "client-professionals",
        org="DARPA",
        title="Program Manager",
        email="dana.whitman@darpa.mil",
        fmt="apple",
    ),
    P(
        "Karen Yost",
        "client-professionals",
        org="Kestrel Robotics",
        title="Regional Sales Manager",
        email="kyost@kestrelrobotics.com",
        note="sold us the two arms; service contract renewal in March",
        groups=("Vendors",),
    ),
    P(
        "Pete Dolan",
        "client-professionals",
        org="Springer Nature",
        title="Senior Editor",
        email="pete.dolan@springernature.com",
        note="editor for the book proposal",
    ),
    P(
        "Helen Marsh",
        "client-professionals",
        org="Toyota Research Institute",
        title="University Research Program Manager",
        email="helen.marsh@tri.global",
        note="manages TRI's gift to the lab; annual review in May",
    ),
    # ---- her own service providers
    P(
        "Dr. Amy Hoffmann",
        "service-providers",
        org="UW Health Pediatrics",
        title="MD",
        email="",
        note="kids' pediatrician",
        fmt="apple",
    ),
    P("Westside Dental", "service-providers", org="Westside Dental", email="", fmt="apple"),
    P(
        "Bob Kettle",
        "service-providers",
        org="Kettle Auto Repair",
        email="",
        phone="(608) 555-0117",
    ),
    P(
        "Julie Sandoval",
        "service-providers",
        org="Little Sprouts Childcare",
        title="Director",
        email="julie@littlesproutsmadison.com",
        note="daycare (Sofie) - pick up by 5:30",
    ),
    P(
        "Nate Ellis",
        "service-providers",
        org="Ellis Tax & Accounting",
        title="CPA",
        email="nate@ellistax.com",
    ),
    P(
        "Kari at Salon Nova",
        "service-providers",
        org="Salon Nova",
        email="",
        phone="(608) 555-0162",
        fmt="apple",
    ),
    P("Mike the plumber", "service-providers", email="", phone="(608) 555-0190"),
    P(
        "Dr. Ravi Menon",
        "service-providers",
        org="Odana Animal Hospital",
        title="DVM",
        email="",
        note="Biscuit's vet",
        fmt="apple",
    ),
    # ---- community
    P(
        "Janet Kowalski",
        "community",
        email="janet.kowalski@gmail.com",
        note="next door (the yellow house)",
        fmt="apple",
    ),
    P(
        "Dave Muller",
        "community",
        org="Epic Systems",
        title="Director of Engineering",
        email="davemuller@gmail.com",
        note="lives across the street, snowblows our walk",
    ),
    P(
        "Coach Rick Alvarez",
        "community",
        org="Madison Area Youth Soccer",
        title="U10 Coach",
        email="rick.alvarez@mays.org",
        groups=("Soccer",),
    ),
    P(
        "Rev. Catherine Ames",
        "community",
        org="First Unitarian Society of Madison",
        title="Minister",
        email="cames@fusmadison.org",
    ),
    P(
        "Heidi Vogel",
        "community",
        email="heidi.vogel@gmail.com",
        note="Sofie's friend Ella's mom",
        fmt="apple",
    ),
    P(
        "Luis Ortega",
        "community",
        email="luis.ortega@gmail.com",
        note="Tuesday morning runs around Lake Monona",
        groups=("Running",),
    ),
    P(
        "Karen Schultz",
        "community",
        org="Randall Elementary PTO",
        title="President",
        email="randallpto@gmail.com",
    ),
    P(
        "Bill Jensen",
        "community",
        org="Mendota Yacht Club",
        email="bjensen@charter.net",
        note="sailing lessons, summer",
        fmt="apple",
    ),
    # ---- alumni
    P(
        "Victor Huang",
        "alumni",
        org="Waymo",
        title="Software Engineer",
        email="victor.huang@alumni.cmu.edu",
        note="met at the CMU alumni reception at ICRA",
    ),
    P(
        "Sarah Nilsson",
        "alumni",
        org="3M",
        title="Research Engineer",
        email="snilsson@mmm.com",
        note="Gopher - UMN CS 2005",
        fmt="apple",
    ),
    P("Ryan O'Brien", "alumni", email="ryan.obrien@alumni.umn.edu", groups=("UMN alumni",)),
    # ---- brain builders
    P(
        "Prof. Leonard Abara",
        "brain-builders",
        org="UC Berkeley",
        title="Professor",
        email="abara@berkeley.edu",
        note="his talk at CoRL on scaling robot data changed how I think about my lab",
    ),
    P(
        "Nadia Kovacs",
        "brain-builders",
        org="",
        title="Writer",
        email="nadia@kovacs.substack.com",
        note="her newsletter on AI labs and research culture",
    ),
    P(
        "Sebastian Ortiz",
        "brain-builders",
        org="The Robot Report Podcast",
        title="Host",
        email="sebastian@robotreportpod.com",
        note="had me on the podcast in 2024",
        fmt="apple",
    ),
    P(
        "Dr. Fei Zhang",
        "brain-builders",
        org="Stanford University",
        title="Professor",
        email="feizhang@stanford.edu",
        note="keynote at RSS. wrote the book on embodied learning",
    ),
    # ---- targets: research leaders at robotics and AI companies
    P(
        "Michael Tran",
        "targets",
        org="Toyota Research Institute",
        title="Director, Robotics Research",
        email="michael.tran@tri.global",
        note="runs the manipulation group; said they want more tactile people",
    ),
    P(
        "Olga Petrenko",
        "targets",
        org="Nvidia",
        title="Head of Robotics Research",
        email="opetrenko@nvidia.com",
    ),
    P(
        "Jason Cole",
        "targets",
        org="Meridian Dynamics",
        title="Staff Research Scientist",
        email="jcole@meridiandynamics.com",
        note="legged locomotion; they are growing the Cambridge lab",
        fmt="apple",
    ),
    P(
        "Ayesha Karim",
        "targets",
        org="Google DeepMind",
        title="Research Manager",
        email="akarim@google.com",
        note="met at NeurIPS, robotics team",
    ),
    P(
        "Tom Brennan",
        "targets",
        org="Northfield AI",
        title="Technical Recruiter, Research",
        email="tom@northfield.ai",
        note="reached out twice about research scientist roles",
    ),
    P(
        "Dr. Rachel Kim",
        "targets",
        org="Halcyon Robotics",
        title="VP of Research",
        email="rkim@halcyonrobotics.com",
        fmt="apple",
        also="google",
    ),
    P(
        "Carlos Mendes",
        "targets",
        org="Ardent Autonomy",
        title="Founder & CEO",
        email="carlos@ardentautonomy.com",
        note="startup on warehouse manipulation; wants a research lead",
    ),
    P(
        "Emily Sato",
        "targets",
        org="Amazon Robotics",
        title="Principal Applied Scientist",
        email="esato@amazon.com",
    ),
    P(
        "Ben Hollis",
        "targets",
        org="Lattice Labs",
        title="Research Lead, Embodied AI",
        email="ben@latticelabs.ai",
        fmt="apple",
    ),
    # ---- introducers
    P(
        "Wei Zhang",
        "introducers",
        org="Nvidia",
        title="Research Scientist",
        email="weiz@nvidia.com",
        note="my first PhD student (2019). Offered to put me in touch with Olga",
    ),
    P(
        "Marianne Becker",
        "introducers",
        org="Foundry Robotics Ventures",
        title="Partner",
        email="marianne@foundryrv.com",
        note="invests in robotics startups, knows every founder in the space",
    ),
    P(
        "Paul Adeyemi",
        "introducers",
        org="IEEE Robotics and Automation Society",
        title="Conference Chair, ICRA 2026",
        email="padeyemi@ieee.org",
        note="knows everyone in industry labs; happy to make intros",
        fmt="apple",
    ),
    # ---- too little to go on
    P("Sam", "unsorted", email="", phone="(608) 555-0101"),
    P("J. Whitman", "unsorted", email="jwhitman77@gmail.com", fmt="apple"),
    P("Kelly Brandt", "unsorted", email="kellybrandt@hotmail.com"),
    P("Alex (conference)", "unsorted", email="", phone="(650) 555-0199", fmt="apple"),
    # ---- more everyday people
    P(
        "Megan Foster",
        "friends",
        email="megan.foster@gmail.com",
        note="old friend from Pittsburgh days, still talk every month",
        fmt="apple",
    ),
    P(
        "Arjun Mehta",
        "colleagues",
        org="MIT CSAIL",
        title="Graduate Student",
        email="arjun@csail.mit.edu",
        note="worked with me on the dexterous hand project during my postdoc",
    ),
    P(
        "Nicole Brandt",
        "community",
        email="nicole.brandt@gmail.com",
        note="book club, first Thursdays",
        fmt="apple",
    ),
    P(
        "Greg Peterson",
        "community",
        org="Madison Tech Meetup",
        title="Organizer",
        email="greg@madtech.org",
        groups=("Meetups",),
    ),
    P(
        "Tina Alvarez",
        "community",
        email="tina.alvarez@gmail.com",
        related=(("Spouse", "Rick Alvarez"),),
        fmt="apple",
    ),
    P(
        "Henrik Dahl",
        "family",
        email="henrik.dahl@gmail.com",
        note="cousin (Mom's side), Minneapolis",
        fmt="apple",
    ),
    P(
        "Lucas Meyer",
        "client-professionals",
        org="Universal Robots",
        title="Applications Engineer",
        email="lme@universal-robots.com",
        note="helped us set up the UR5 cell",
        groups=("Vendors",),
    ),
    P(
        "Joan Whitaker",
        "community",
        email="joan.whitaker@gmail.com",
        note="Sam's wife; we met at the department holiday party",
        fmt="apple",
        employer=True,
    ),
    P(
        "Diego Ramirez",
        "targets",
        org="Boston Dynamics AI Institute",
        title="Research Director",
        email="dramirez@theaiinstitute.com",
        note="want to meet - saw his CoRL keynote, they hire academics",
    ),
    P(
        "Sophie Laurent",
        "alumni",
        org="Intuitive Surgical",
        title="Engineering Manager",
        email="sophie.laurent@gmail.com",
        note="CMU alum, met at the Bay Area alumni dinner",
        fmt="apple",
    ),
    P(
        "Kevin Osei",
        "school-friends",
        email="kevin.osei@gmail.com",
        note="UMN, we were lab partners in physics and stayed friends",
    ),
    P(
        "Ruth Engel",
        "brain-builders",
        org="Santa Fe Institute",
        title="External Professor",
        email="rengel@santafe.edu",
        note="her essays on complexity and learning",
        fmt="apple",
    ),
    P(
        "Brian Keller",
        "client-professionals",
        org="American Family Insurance",
        title="Director, Data Science",
        email="bkeller@amfam.com",
        note="sponsors our capstone projects; signs the check every fall",
    ),
    P(
        "Dr. Fatima Noor",
        "targets",
        org="Apple",
        title="Senior Manager, Robotics and AI Research",
        email="fnoor@apple.com",
        note="Priya's manager. Priya said she'd introduce us",
    ),
    P(
        "Mark Benson",
        "service-providers",
        org="Benson Financial Planning",
        title="Financial Advisor",
        email="mark@bensonfp.com",
        note="our financial planner; 529s",
        fmt="apple",
    ),
]

_LAB = tuple(f"{x}@{CS}" for x in ("arao", "mgonzalez", "cwei", "tdunn"))
_FACULTY = tuple(f"{x}@{CS}" for x in ("raj", "ostrowski", "ytanaka", "whitaker", "nygaard"))
MEETINGS = [
    Meeting(
        "20260902",
        "1400",
        "Robot Learning Lab meeting",
        _LAB,
        rrule="FREQ=WEEKLY;BYDAY=WE;UNTIL=20261216T235959Z",
        minutes=90,
    ),
    Meeting(
        "20260908",
        "1200",
        "CS Faculty Meeting",
        _FACULTY,
        rrule="FREQ=MONTHLY;BYDAY=1TU;COUNT=9",
        minutes=90,
    ),
    Meeting(
        "20260904",
        "1000",
        "CS 760 co-teaching sync",
        (f"ostrowski@{CS}",),
        rrule="FREQ=WEEKLY;BYDAY=FR;COUNT=14",
        minutes=30,
    ),
    Meeting("20260915", "1500", "1:1 Raj / Ingrid", (f"raj@{CS}",), minutes=30),
    Meeting("20261020", "0900", "Aditya - thesis proposal prep", (f"arao@{CS}",)),
    Meeting(
        "20260918",
        "1100",
        "Soft grippers grant check-in",
        (f"hprice@{U}", f"jim.harlow@{U}"),
        minutes=45,
    ),
    Meeting("20260814", "1600", "Call w/ Martin", ("halvorsen@cs.cmu.edu",), minutes=45),
    Meeting("20261006", "1200", "Lunch - Walter", (f"nygaard@{CS}",)),
    Meeting("20261009", "0800", "Coffee with Wei (Nvidia)", ("weiz@nvidia.com",), minutes=45),
    Meeting("20260725", "1800", "Dinner at Rosa's", ("rosa.whitcomb@gmail.com",), minutes=150),
    Meeting("20261103", "1400", "NRI grant call", ("graceliu@umich.edu",), minutes=60),
    Meeting("20261112", "1300", "TRI annual review", ("helen.marsh@tri.global", f"raj@{CS}")),
]

OWNER = Owner(
    "professor",
    "Ingrid Solberg",
    ("solberg@cs.wisc.edu", "ingrid.solberg@gmail.com"),
    CONFIG,
    PEOPLE,
    MEETINGS,
    apple_groups=True,
)
