"""Renata Holloway, VP Operations at Brandt Precision Components (a family-controlled
manufacturer in Milwaukee), quietly looking for a COO role. Her work calendar is shared with
the CEO and his assistant. Categories are her own judgement, one person at a time."""

from __future__ import annotations

from cards import Meeting, Owner, P, config_toml, emails_at

B = "brandtprecision.com"

CONFIG = config_toml(
    head="""\
# Renata Holloway: operations executive, confidential COO search, work calendar shared.
[owner]
timezone = "America/Chicago"
name = "Renata Holloway"
emails = ["renata.holloway@brandtprecision.com", "renata.holloway@gmail.com"]
employers = ["Brandt Precision Components"]
former_employers = ["Kessler Industrial", "Altmann Foods"]
title = "VP Operations"
field = "operations"

[[owner.schools]]
name = "Purdue University"
class_year = 2003

[[owner.schools]]
name = "Kellogg School of Management"
class_year = 2011

[[goals]]
id = "coo"
text = "COO role at a mid-size industrial manufacturer or PE-backed operating company"

[[goals]]
id = "board"
text = "A first independent board seat at a manufacturing company"
categories = ["targets", "mentors", "brain-builders"]
""",
    books={"google": "google", "apple": "apple", "outlook": "outlook", "nextcloud": "nextcloud"},
    calendar="work",
    tail="""\
[budget]
hours_per_week = 4
max_one_on_ones_per_week = 3

[planner]
weeks = 4

[planner.cadence.friends]
ideal_days = 45
max_days = 75

[planner.cadence.mentors]
ideal_days = 42
max_days = 70

[confidential]
enabled = true
employer_ties = ["First Lakeshore Bank", "Haller Krause", "Whitcomb & Adair"]
never_ask = ["Priya Natarajan"]
sensitive_words = ["COO", "search", "interview"]

[tagging]
strong_after_meetings = 6
""",
)

PEOPLE = [
    # ---- family
    P(
        "Marcus Holloway",
        "family",
        org="Lakeshore Realty",
        title="Broker",
        email="marcus.holloway@gmail.com",
        related=(("Spouse", "Renata Holloway"),),
        fmt="apple",
    ),
    P("Joan Pietrowski", "family", email="joanpiet@att.net", note="Mom", groups=("Family",)),
    P(
        "Carl Pietrowski",
        "family",
        email="carlpiet@att.net",
        note="Dad. Cell is the one that works.",
        groups=("Family",),
    ),
    P(
        "Lena Holloway",
        "family",
        email="lena.holloway@wisc.edu",
        related=(("Mother", "Renata Holloway"),),
        note="UW Madison, sophomore",
        fmt="apple",
    ),
    P("Anya Reed", "family", email="anya.reed@gmail.com", note="my sister - Denver", fmt="apple"),
    P(
        "Greg Reed",
        "family",
        email="greg.reed@comcast.net",
        related=(("Spouse", "Anya Reed"),),
        fmt="nextcloud",
    ),
    P(
        "Theo Pietrowski",
        "family",
        org="Pietrowski Plumbing",
        title="Owner",
        email="theo@pietrowskiplumbing.com",
        note="cousin; runs the family plumbing business in Racine",
    ),
    # ---- friends
    P(
        "Sheila Marquardt",
        "friends",
        email="sheila.marquardt@gmail.com",
        note="Book club since 2014, closest friend here",
        groups=("Friends",),
    ),
    P(
        "Dominic Ferraro",
        "friends",
        org="Ferraro & Sons Builders",
        title="President",
        email="dom@ferrarobuilders.com",
        note="Friends since Lena was in kindergarten. Dinner every couple of months.",
        groups=("Friends",),
    ),
    P(
        "Jill Oakes",
        "friends",
        email="jilloakes@yahoo.com",
        related=(("Friend", "Renata Holloway"),),
        fmt="apple",
    ),
    P(
        "Beth Sandoval",
        "friends",
        email="beth.sandoval@icloud.com",
        note="best friend since high school",
        fmt="apple",
    ),
    P(
        "Ramon Castillo",
        "friends",
        email="rcastillo22@gmail.com",
        note="Marcus's best man; we vacation together",
        groups=("Friends",),
    ),
    # ---- school friends
    P(
        "Kate Lindgren",
        "school-friends",
        org="Cummins",
        title="Plant Manager",
        email="kate.lindgren@cummins.com",
        note="Purdue IE roommate",
        groups=("Purdue",),
    ),
    P(
        "Ajay Mehta",
        "school-friends",
        org="Deloitte",
        title="Senior Manager",
        email="ajmehta@gmail.com",
        note="Kellogg section mate (Section 3)",
        groups=("Kellogg",),
    ),
    P(
        "Brooke Halvorsen",
        "school-friends",
        org="Trek Bicycle",
        title="Director, Supply Chain",
        email="brooke.halvorsen@gmail.com",
        note="section mate at Kellogg, study group",
        groups=("Kellogg",),
    ),
    P(
        "Tyler Nakamura",
        "school-friends",
        org="Boeing",
        title="Engineering Manager",
        email="tnakamura@gmail.com",
        note="Purdue - senior design team",
        groups=("Purdue",),
    ),
    P(
        "Megan Duffy",
        "school-friends",
        email="megduffy03@gmail.com",
        note="Purdue, same dorm freshman year",
        groups=("Purdue",),
    ),
    # ---- mentors
    P(
        "Harold Brenner",
        "mentors",
        org="Retired",
        title="",
        email="hbrenner@gmail.com",
        note="my first boss at Kessler Industrial. Still the person I call before any big "
        "decision.",
    ),
    P(
        "Diane Whitacre",
        "mentors",
        org="Altmann Foods",
        title="EVP Operations (ret.)",
        email="dwhitacre@icloud.com",
        note="sponsored my move to Brandt; lunch twice a year",
        fmt="apple",
    ),
    P(
        "Prof. Samuel Okoye",
        "mentors",
        org="Purdue University",
        title="Professor of Industrial Engineering",
        email="sokoye@purdue.edu",
        note="senior thesis advisor",
        groups=("Purdue",),
    ),
    # ---- colleagues (current employer: employer-connected)
    P(
        "Gregory Lund",
        "colleagues",
        org="Brandt Precision Components",
        title="Chief Financial Officer",
        email=f"gregory.lund@{B}",
        employer=True,
    ),
    P(
        "Karl Brandt",
        "colleagues",
        org="Brandt Precision Components",
        title="President & CEO",
        email=f"karl.brandt@{B}",
        employer=True,
    ),
    P(
        "Ingrid Solberg",
        "colleagues",
        org="Brandt Precision Components",
        title="Executive Assistant to the CEO",
        email=f"ingrid.solberg@{B}",
        employer=True,
    ),
    P(
        "Victor Almeida",
        "colleagues",
        org="Brandt Precision Components",
        title="Plant Manager, Oak Creek",
        email=f"victor.almeida@{B}",
        employer=True,
    ),
    P(
        "Shauna Kowalczyk",
        "colleagues",
        org="Brandt Precision Components",
        title="Director of Quality",
        email=f"shauna.kowalczyk@{B}",
        employer=True,
    ),
    P(
        "Ben Achterberg",
        "colleagues",
        org="Brandt Precision Components",
        title="Supply Chain Manager",
        email=f"ben.achterberg@{B}",
        employer=True,
        fmt="outlook",
    ),
    P(
        "Luis Herrera",
        "colleagues",
        org="Brandt Precision Components",
        title="EHS Manager",
        email=f"luis.herrera@{B}",
        employer=True,
        fmt="outlook",
    ),
    P(
        "Nadia Brandt",
        "colleagues",
        org="Brandt Precision Components",
        title="VP Human Resources",
        email=f"nadia.brandt@{B}",
        employer=True,
        note="Karl's daughter",
        fmt="outlook",
    ),
    P(
        "Paul Jaworski",
        "colleagues",
        org="Brandt Precision Components",
        title="Controller",
        email=f"paul.jaworski@{B}",
        employer=True,
        fmt="outlook",
    ),
    P(
        "Tom Reiser",
        "colleagues",
        org="Reiser Capital",
        title="Managing Partner",
        email="tom@reisercap.com",
        note="Karl's son-in-law. On our board since 2023.",
        employer=True,
    ),
    P(
        "Denise Albrecht",
        "colleagues",
        org="",
        title="Independent Director",
        email="denise.albrecht@gmail.com",
        note="Brandt board (audit committee chair)",
        employer=True,
    ),
    P(
        "Walter Brandt",
        "colleagues",
        email="walter.brandt@gmail.com",
        note="Karl's brother; board member, founder's son",
        employer=True,
    ),
    # ---- former colleagues
    P(
        "Joe Szymanski",
        "colleagues",
        org="Kessler Industrial",
        title="Maintenance Superintendent",
        email="jszymanski@kesslerind.com",
        note="worked for me in Janesville",
    ),
    P(
        "Renee Fobbs",
        "colleagues",
        org="Kessler Industrial",
        title="Production Supervisor",
        email="rfobbs@kesslerind.com",
        note="worked for me in Janesville, second shift",
        fmt="outlook",
    ),
    P(
        "Marty Kohl",
        "colleagues",
        org="Altmann Foods",
        title="Director of Engineering",
        email="marty.kohl@altmannfoods.com",
        note="ran the line conversion project together at Altmann",
    ),
    P(
        "Sandra Yeung",
        "colleagues",
        org="Altmann Foods",
        title="Continuous Improvement Lead",
        email="sandra.yeung@altmannfoods.com",
        note="we worked together at Altmann 2011-2016",
        fmt="outlook",
    ),
    P(
        "Kevin O'Rourke",
        "colleagues",
        org="Generac",
        title="Operations Manager",
        email="kevin.orourke@gmail.com",
        note="ex-Kessler, left in 2015",
        fmt="outlook",
    ),
    # ---- clients (customers of Brandt): for an operator, the people her plant serves
    P(
        "Jason Whitford",
        "clients",
        org="Oshkosh Corporation",
        title="Commodity Manager",
        email="jwhitford@oshkoshcorp.com",
        groups=("Customers",),
    ),
    P(
        "Amelia Grant",
        "clients",
        org="John Deere",
        title="Supplier Quality Engineer",
        email="grantamelia@johndeere.com",
        groups=("Customers",),
    ),
    P(
        "Raj Patel",
        "clients",
        org="Caterpillar",
        title="Strategic Sourcing Manager",
        email="patel_raj@cat.com",
        groups=("Customers",),
        fmt="outlook",
    ),
    P(
        "Leah Moreno",
        "clients",
        org="Polaris",
        title="Buyer",
        email="leah.moreno@polaris.com",
        groups=("Customers",),
    ),
    P(
        "Dirk Hansen",
        "clients",
        org="Mercury Marine",
        title="Purchasing Director",
        email="dirk.hansen@mercmarine.com",
        note="biggest customer account; quarterly business reviews",
    ),
    # ---- client-professionals: suppliers, the company's bank/auditors/counsel, consultants
    P(
        "Stan Wojcik",
        "client-professionals",
        org="Great Lakes Castings",
        title="Account Manager",
        email="swojcik@glcastings.com",
        groups=("Suppliers",),
    ),
    P(
        "Angela Buss",
        "client-professionals",
        org="Midwest Steel Service",
        title="Inside Sales",
        email="abuss@mwsteel.com",
        groups=("Suppliers",),
    ),
    P(
        "Eric Lindahl",
        "client-professionals",
        org="Fastenal",
        title="Branch Manager",
        email="elindahl@fastenal.com",
        groups=("Suppliers",),
    ),
    P(
        "Nora Pfeiffer",
        "client-professionals",
        org="Badger Heat Treating",
        title="Owner",
        email="nora@badgerheat.com",
        groups=("Suppliers",),
        fmt="outlook",
    ),
    P(
        "Doug Maier",
        "client-professionals",
        org="Hurco Machine Tools",
        title="Regional Sales Manager",
        email="doug.maier@hurco.com",
        groups=("Suppliers",),
    ),
    P(
        "Chris Vanderhoof",
        "client-professionals",
        org="Vanderhoof Tooling",
        title="President",
        email="chris@vtooling.com",
        note="supplier - fixtures and gauges",
    ),
    P(
        "Helen Fitzgerald",
        "client-professionals",
        org="First Lakeshore Bank",
        title="Senior Vice President, Commercial Banking",
        email="hfitzgerald@firstlakeshore.com",
        note="Brandt's relationship banker",
        employer=True,
    ),
    P(
        "Martin Haller",
        "client-professionals",
        org="Haller Krause LLP",
        title="Audit Partner",
        email="mhaller@hallerkrause.com",
        note="runs our audit every year",
        employer=True,
        fmt="outlook",
    ),
    P(
        "Catherine Adair",
        "client-professionals",
        org="Whitcomb & Adair LLP",
        title="Partner",
        email="cadair@whitcombadair.com",
        note="Brandt's outside counsel (contracts, employment)",
        employer=True,
        fmt="outlook",
    ),
    P(
        "Priya Natarajan",
        "client-professionals",
        org="Lean Path Consulting",
        title="Principal",
        email="priya@leanpath.co",
        note="ran our kaizen program in 2024; knows Karl well",
    ),
    P(
        "Jeff Sorensen",
        "client-professionals",
        org="Rockwell Automation",
        title="Account Executive",
        email="jsorensen@ra.rockwell.com",
        note="sold us the MES upgrade",
    ),
    # ---- service providers (hers)
    P(
        "Dr. Ellen Vogt",
        "service-providers",
        org="Froedtert Health",
        title="Internal Medicine",
        email="",
        note="my doctor",
        groups=("Doctors",),
        fmt="apple",
    ),
    P(
        "Mike Dombrowski",
        "service-providers",
        org="Mike's Plumbing & Drain",
        title="",
        email="mikesplumbing@sbcglobal.net",
        note="plumber - came fast when the basement flooded",
    ),
    P(
        "Bay View Car Service",
        "service-providers",
        org="Bay View Car Service",
        title="",
        email="dispatch@bayviewcars.com",
        note="airport rides",
    ),
    P(
        "Tina Ochoa",
        "service-providers",
        org="Ochoa Tax & Accounting",
        title="CPA",
        email="tina@ochoatax.com",
        note="does our taxes",
    ),
    P(
        "Dr. Paul Nguyen",
        "service-providers",
        org="Shorewood Family Dental",
        title="DDS",
        email="frontdesk@shorewooddental.com",
        fmt="apple",
    ),
    P(
        "Gary Lutz",
        "service-providers",
        org="Lutz Lawn & Snow",
        title="",
        email="garylutz@gmail.com",
        note="snow plowing, lawn in summer",
    ),
    P(
        "Carla Benedetti",
        "service-providers",
        org="Studio B Salon",
        title="Stylist",
        email="carla@studiobsalon.com",
    ),
    P(
        "Dr. Anne Kramer",
        "service-providers",
        org="Lakeside Veterinary Clinic",
        title="DVM",
        email="info@lakesidevet.com",
        note="Biscuit's vet",
    ),
    P(
        "Frank Coletti",
        "service-providers",
        org="Coletti Auto Repair",
        title="",
        email="",
        note="mechanic for both cars",
    ),
    P(
        "Jenna Morrison",
        "service-providers",
        org="Northwestern Mutual",
        title="Financial Advisor",
        email="jenna.morrison@nm.com",
        note="our financial advisor, 529 plans",
    ),
    # ---- community
    P(
        "Father Tom Kaminski",
        "community",
        org="St. Robert Parish",
        title="Pastor",
        email="frtom@strobertparish.org",
    ),
    P("Linda Voss", "community", email="linda.voss@gmail.com", note="next door (the blue house)"),
    P("Ed Voss", "community", email="edvoss@gmail.com", note="next door, Linda's husband"),
    P(
        "Maggie Thornton",
        "community",
        email="maggie.thornton@gmail.com",
        note="Ella's mom - soccer carpool",
    ),
    P(
        "Rob Kessling",
        "community",
        org="Shorewood Soccer Club",
        title="Coach",
        email="coach.rob@shorewoodsoccer.org",
        note="Lena's U14 coach",
    ),
    P(
        "Patty Glick",
        "community",
        email="patty.glick@yahoo.com",
        note="Milwaukee Women's Running Club",
        groups=("Running club",),
    ),
    P(
        "Sue Brandstetter",
        "community",
        org="Habitat for Humanity Milwaukee",
        title="Volunteer Coordinator",
        email="sbrandstetter@habitatmke.org",
        note="Saturday builds",
    ),
    P(
        "Owen Schaefer",
        "community",
        email="owen.schaefer@gmail.com",
        note="block party organizer, across the street",
    ),
    P("Deb Kucharski", "community", email="debkucharski@gmail.com", groups=("St. Robert",)),
    P(
        "Alan Mertz",
        "community",
        email="alan.mertz@gmail.com",
        note="Rotary Club of Milwaukee, Tuesday lunches",
    ),
    P(
        "Gwen Ellison",
        "community",
        email="gwen.ellison@icloud.com",
        note="Maya's mom (Lena's friend)",
        fmt="apple",
    ),
    P(
        "Peter Brandt",
        "community",
        org="Shorewood Tennis Club",
        title="Head Pro",
        email="peter@shorewoodtennis.com",
        note="tennis lessons Thursdays",
    ),
    # ---- alumni
    P(
        "Chen Wu",
        "alumni",
        org="Harley-Davidson",
        title="Director of Manufacturing Engineering",
        email="chen.wu@harley-davidson.com",
        note="Purdue IE alum, met at the Milwaukee alumni event",
    ),
    P(
        "Rachel Gottlieb",
        "alumni",
        org="Kohler Co.",
        title="Senior Director, Operations Excellence",
        email="rgottlieb@kohler.com",
        note="Kellogg alum (class of 2009) - alumni club breakfast",
        groups=("Kellogg alumni",),
    ),
    P(
        "Marcus Obi",
        "alumni",
        org="A. O. Smith",
        title="VP Supply Chain",
        email="mobi@aosmith.com",
        groups=("Kellogg alumni",),
    ),
    P(
        "Stephanie Cruz",
        "alumni",
        email="scruz@alumni.purdue.edu",
        note="Purdue alumni board, Milwaukee chapter",
    ),
    # ---- brain builders
    P(
        "Dr. Lisa Cheng",
        "brain-builders",
        org="MIT Sloan",
        title="Professor of Operations Management",
        email="lcheng@mit.edu",
        note="her book on plant flow changed how I run Oak Creek",
    ),
    P(
        "Bob Emiliani",
        "brain-builders",
        org="Lean Leadership Institute",
        title="Author and Speaker",
        email="bob@leanleadership.org",
        note="keynote at AME 2025, wrote 'Real Lean'",
    ),
    P(
        "Jim Whitmore",
        "brain-builders",
        org="Industry Week",
        title="Editor",
        email="jwhitmore@industryweek.com",
        note="interviewed me for the Best Plants article",
    ),
    P(
        "Tanya Roberts",
        "brain-builders",
        org="",
        title="",
        email="tanya@tanyaroberts.com",
        note="podcast on supply chain resilience - fascinating guest list",
        groups=("Ideas",),
    ),
    # ---- targets: people who serve the COO / board goal
    P(
        "Mark Feldman",
        "targets",
        org="Halvorsen Search Partners",
        title="Partner, Industrial Practice",
        email="mfeldman@halvorsensearch.com",
        note="places COOs at PE-backed industrials",
    ),
    P(
        "Carolyn Brooks",
        "targets",
        org="Spencer Stuart",
        title="Consultant, Industrial Practice",
        email="cbrooks@spencerstuart.com",
        note="met at the NAM summit; does operating exec searches",
    ),
    P(
        "David Oyelaran",
        "targets",
        org="Riverbend Capital Partners",
        title="Operating Partner",
        email="doyelaran@riverbendcap.com",
        note="PE operating partner, portfolio of 6 metal fabricators",
    ),
    P(
        "Susan Marchetti",
        "targets",
        org="Regal Rexnord",
        title="Chief Operating Officer",
        email="smarchetti@regalrexnord.com",
    ),
    P(
        "Henry Lau",
        "targets",
        org="Badger Meter",
        title="President & CEO",
        email="hlau@badgermeter.com",
        note="wants a COO by next year, per Chen",
    ),
    P(
        "Olivia Strand",
        "targets",
        org="Milwaukee Tool",
        title="SVP Global Operations",
        email="olivia.strand@milwaukeetool.com",
    ),
    P(
        "Richard Pryor-Klein",
        "targets",
        org="Briggs Industrial Holdings",
        title="CEO",
        email="rpk@briggsindustrial.com",
        note="family-owned, looking for a professional COO to succeed him eventually",
    ),
    P(
        "Angela Duarte",
        "targets",
        org="Northpoint Equity",
        title="Partner",
        email="aduarte@northpointequity.com",
        note="PE, industrial buyouts, sits on 4 portfolio boards",
    ),
    P(
        "Frank Ostrowski",
        "targets",
        org="Ostrowski Manufacturing",
        title="Chairman of the Board",
        email="frank@ostrowskimfg.com",
        note="looking for independent directors with ops background",
    ),
    P(
        "Laura Kim",
        "targets",
        org="Korn Ferry",
        title="Senior Client Partner",
        email="laura.kim@kornferry.com",
        note="board & CEO practice; recruiter",
    ),
    # ---- introducers
    P(
        "Greta Lindqvist",
        "introducers",
        org="Manufacturers Alliance",
        title="Executive Director",
        email="glindqvist@manufacturersalliance.org",
        note="knows every CEO in the region; offered to introduce me",
    ),
    P(
        "Bill Harrington",
        "introducers",
        org="",
        title="",
        email="bharrington@gmail.com",
        note="retired Rexnord COO, well connected; can introduce me to Susan Marchetti",
    ),
    P(
        "Yvonne Ellery",
        "introducers",
        org="Wisconsin Manufacturers & Commerce",
        title="VP Membership",
        email="yellery@wmc.org",
        note="super connector",
    ),
    # ---- people with too little to go on: the owner herself would have to look them up
    P("J. Becker", "unsorted", email="", phone="(414) 555-0199"),
    P("Sam", "unsorted", email="sam.q@gmail.com"),
    P("Ilse Brandvold", "unsorted", email="ilse.brandvold@gmail.com"),
    P("Trevor Banks", "unsorted", email="tbanks88@hotmail.com"),
    # ---- more of the everyday: suppliers, customers, neighbours, former colleagues
    P(
        "Kurt Weinand",
        "client-professionals",
        org="Weinand Pattern Works",
        title="Owner",
        email="kurt@weinandpattern.com",
        groups=("Suppliers",),
    ),
    P(
        "Marisol Vega",
        "client-professionals",
        org="Uline",
        title="Account Rep",
        email="mvega@uline.com",
        groups=("Suppliers",),
    ),
    P(
        "Hank Dietz",
        "client-professionals",
        org="Dietz Trucking",
        title="Dispatcher",
        email="dispatch@dietztrucking.com",
        note="freight carrier for the Oak Creek plant",
    ),
    P(
        "Rosa Jimenez",
        "clients",
        org="Kohler Co.",
        title="Buyer, Engine Components",
        email="rosa.jimenez@kohler.com",
        groups=("Customers",),
    ),
    P(
        "Alex Thorsen",
        "clients",
        org="Briggs & Stratton",
        title="Supplier Development Engineer",
        email="athorsen@basco.com",
        groups=("Customers",),
        fmt="outlook",
    ),
    P(
        "Nick Papadakis",
        "colleagues",
        org="Kessler Industrial",
        title="Plant Manager",
        email="npapadakis@kesslerind.com",
        note="my old boss's boss at Kessler",
    ),
    P(
        "Irene Castellano",
        "colleagues",
        org="Altmann Foods",
        title="HR Business Partner",
        email="irene.castellano@altmannfoods.com",
        fmt="outlook",
    ),
    P(
        "Carol Wendt",
        "community",
        email="carol.wendt@gmail.com",
        note="neighbor on Lake Bluff Blvd",
    ),
    P(
        "Steve Ruiz",
        "community",
        email="steveruiz@gmail.com",
        note="Lena's friend Maya's dad; soccer sideline",
    ),
    P(
        "Dana Whitlock",
        "school-friends",
        email="dana.whitlock@gmail.com",
        note="Kellogg - same study group, now in Chicago",
        fmt="nextcloud",
    ),
    P(
        "Pam Kessler",
        "community",
        org="Shorewood Soccer Club",
        title="Team Manager",
        email="pamkessler@gmail.com",
        note="team parent coordinator",
    ),
    P(
        "Leo Fischer",
        "friends",
        email="leo.fischer@gmail.com",
        note="old friend from Racine, we go way back",
    ),
    P(
        "Nate Olson",
        "service-providers",
        org="Olson Heating & Cooling",
        title="",
        email="service@olsonhvac.com",
        note="furnace guy",
    ),
    P(
        "Mia Hartley",
        "targets",
        org="Heidrick & Struggles",
        title="Partner, Industrial Practice",
        email="mhartley@heidrick.com",
        note="executive search - ops leaders",
    ),
    P(
        "George Petrakis",
        "targets",
        org="Generac",
        title="EVP Operations",
        email="george.petrakis@generac.com",
        note="building out an operating team, per Kevin",
    ),
    P(
        "Helga Holloway",
        "family",
        email="helga.h@icloud.com",
        note="Marcus's mom",
        fmt="apple",
        related=(("Mother-in-law", "Renata Holloway"),),
    ),
]

_STAFF = emails_at(
    B,
    "gregory.lund",
    "karl.brandt",
    "victor.almeida",
    "shauna.kowalczyk",
    "ben.achterberg",
    "paul.jaworski",
)
_BOARD = (
    *emails_at(B, "karl.brandt", "gregory.lund"),
    "tom@reisercap.com",
    "denise.albrecht@gmail.com",
    "walter.brandt@gmail.com",
)
MEETINGS = [
    Meeting("20260713", "0800", "Ops staff meeting", _STAFF, rrule="FREQ=WEEKLY;COUNT=16"),
    Meeting(
        "20260716",
        "1400",
        "Brandt board meeting (Q3)",
        _BOARD,
        minutes=180,
    ),
    Meeting(
        "20261015",
        "1400",
        "Brandt board meeting (Q4)",
        (*_BOARD, "mhaller@hallerkrause.com"),
        minutes=180,
    ),
    Meeting("20260904", "1200", "Lunch - Harold", ("hbrenner@gmail.com",)),
    Meeting("20260612", "1200", "Lunch with Diane", ("dwhitacre@icloud.com",)),
    Meeting("20260820", "1900", "Dinner w/ Sheila", ("sheila.marquardt@gmail.com",), minutes=120),
    Meeting(
        "20260925", "0730", "Breakfast - Kellogg club", ("rgottlieb@kohler.com", "mobi@aosmith.com")
    ),
    Meeting("20261008", "1000", "Mercury QBR", ("dirk.hansen@mercmarine.com", f"gregory.lund@{B}")),
    Meeting(
        "20261020",
        "1500",
        "Coffee with Greta Lindqvist",
        ("glindqvist@manufacturersalliance.org",),
        minutes=45,
    ),
]

OWNER = Owner(
    "ops",
    CONFIG,
    PEOPLE,
    MEETINGS,
)
